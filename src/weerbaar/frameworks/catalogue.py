"""The items of a loaded framework version by code, read once per process.

A loaded framework version never changes (a new version is a new file and a new row), so the
items, their answer parts, responsible roles and sectors can be kept in memory: saving an
answer then needs no query to find its question. The key holds the content hash and load time,
so a framework loaded again under a reused id (a test database) is never mistaken for the one
before (as ``insights.scoring.scored_items`` does).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Prefetch

from .models import AnswerPart, Framework, Item


@dataclass(frozen=True)
class Entry:
    """One item of the framework, with what decides who answers it and where it applies.

    ``item`` has its ``parts`` prefetched (``item.parts.all()`` runs no query) and its section;
    it is shared between requests and must not be changed."""

    item: Item
    responsible: frozenset[str]  # role keys, e.g. "ciso"
    sectors: frozenset[str]  # empty: every sector

    @property
    def answerable(self) -> bool:
        """Has answer parts (reference entries and headings have none)."""
        return bool(self.item.parts.all())

    def applies_to(self, sector: str) -> bool:
        return not self.sectors or sector in self.sectors


def catalogue(framework: Framework) -> dict[str, Entry]:
    """The items of ``framework`` by code."""
    return _catalogue(
        framework.pk,
        framework.content_sha256,
        framework.loaded_at.isoformat() if framework.loaded_at else "",
    )


@lru_cache(maxsize=32)
def _catalogue(framework_id: int, content_sha256: str, loaded_at: str) -> dict[str, Entry]:
    items = (
        Item.objects.filter(section__framework_id=framework_id)
        .select_related("section")
        .prefetch_related(
            Prefetch("parts", queryset=AnswerPart.objects.order_by("order")),
            "responsible",
            "sector_rows",
        )
    )
    return {
        item.code: Entry(
            item=item,
            responsible=frozenset(role.key for role in item.responsible.all()),
            sectors=frozenset(row.sector for row in item.sector_rows.all()),
        )
        for item in items
    }
