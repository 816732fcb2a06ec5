"""Which framework items reach which person: by sector and by responsible role."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Framework, Item


def items_for_sector(framework: Framework, sector: str) -> QuerySet[Item]:
    """Items of ``framework`` that apply to ``sector`` (items without sectors apply to all)."""
    return (
        Item.objects.filter(section__framework=framework)
        .filter(Q(sector_rows__isnull=True) | Q(sector_rows__sector=sector))
        .distinct()
        .order_by("section__order", "order")
    )


def items_for_roles(framework: Framework, sector: str, role_keys: set[str]) -> QuerySet[Item]:
    """Items of ``framework`` for ``sector`` that name one of ``role_keys``."""
    ids = items_for_sector(framework, sector).filter(responsible__key__in=role_keys).values("pk")
    return (
        Item.objects.filter(pk__in=ids)
        .select_related("section")
        .prefetch_related("responsible")
        .order_by("section__order", "order")
    )
