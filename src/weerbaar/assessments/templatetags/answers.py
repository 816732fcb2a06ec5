"""Template helpers for showing answers, their history and the maturity scale."""

from __future__ import annotations

from typing import Any

from django import template

from weerbaar.frameworks.models import Item, PartType

from ..answering import describe, differences, empty_snapshot
from ..models import AnswerRevision, Maturity

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def has_maturity(item: Item) -> bool:
    return any(part.type == PartType.MATURITY for part in item.parts.all())


@register.filter
def described(state: Any) -> list[tuple[str, str]]:
    if state.answer is None:
        return []
    return describe(state.item, state.data)


@register.filter
def changes(revision: AnswerRevision, item: Item) -> list[tuple[str, str, str]]:
    return differences(item, revision.old or empty_snapshot(item), revision.new)


@register.simple_tag
def maturity_choices() -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in Maturity.choices]


@register.filter
def assigned_to(assigned: dict[int, list[Any]] | None, item: Item) -> list[Any]:
    return (assigned or {}).get(item.pk, [])
