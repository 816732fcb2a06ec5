"""Optimistic concurrency for the rows people edit in forms: a stale edit is refused.

Every editable row carries a ``version``; a form or API client sends back the version it
read. ``locked_at`` locks the row for the rest of the transaction and refuses the change when
someone saved it in between, so that nothing is silently overwritten. Answers have their own,
faster path with the same rule (``assessments.answering``).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


class Stale(Exception):
    """Someone else changed the row since it was read; ``current`` is the row as it is now
    (None: it does not exist any more, or not yet)."""

    def __init__(self, current: Any) -> None:
        super().__init__(f"stale {type(current).__name__.lower()}")
        self.current = current


def locked_at(
    queryset: QuerySet[M], expected_version: int | None, stale: type[Stale] = Stale
) -> M | None:
    """The row of ``queryset`` (at most one), locked until the transaction ends, if its
    version is ``expected_version`` (0 or None when the row should not exist yet: None is
    returned). Raises ``stale`` with the current row otherwise."""
    current = queryset.select_for_update().first()
    if (current.version if current is not None else 0) != (expected_version or 0):  # type: ignore[attr-defined]
        raise stale(current)
    return current
