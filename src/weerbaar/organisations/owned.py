"""Rows owned by an organisation know the way to it, so that the access layer can scope them.

Every organisation-owned model uses ``OwnedQuerySet`` (or a subclass) and names the lookup
path to its organisation in ``ORGANISATION_PATH``. Views and the API reach such rows only
through ``Model.objects.for_user(user, level)`` (or a related manager of an object they got
from the access layer); ``tests/test_access.py`` fails when a view or API module starts a
query on one of these models without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from django.db import models

if TYPE_CHECKING:
    from .access import Level

M = TypeVar("M", bound=models.Model)


class OwnedQuerySet(models.QuerySet[M]):
    def for_user(self, user: Any, level: Level | None = None) -> Self:
        """The rows ``user`` may access at ``level`` (DETAIL unless given)."""
        from .access import Level, scope  # the access layer reads these models

        path: str = getattr(self.model, "ORGANISATION_PATH", "organisation")
        return cast(Self, scope(self, user, level or Level.DETAIL, via=path))
