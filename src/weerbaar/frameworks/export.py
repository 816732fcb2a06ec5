"""A framework as plain data: the JSON the CLI and ``GET /api/v1/frameworks/ID`` return."""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from .models import Framework, Item, ItemResponsible, Phase, Section, Step


def latest_frameworks() -> QuerySet[Framework]:
    return Framework.objects.order_by("slug", "-loaded_at")


def get_framework(slug: str, version: str | None = None) -> Framework:
    """The framework ``slug`` at ``version`` (the newest loaded when None), or Http404."""
    queryset = Framework.objects.filter(slug=slug)
    if version:
        queryset = queryset.filter(version=version)
    framework = queryset.order_by("-version", "-loaded_at").first()
    if framework is None:
        raise Http404("Framework not found")
    return framework


def sections_with_content(framework: Framework) -> QuerySet[Section]:
    """Sections with everything needed to show or export them, in a fixed number of queries."""
    items = Item.objects.prefetch_related(
        Prefetch(
            "responsible_links",
            queryset=ItemResponsible.objects.select_related("role").order_by("order"),
        ),
        "examples",
        "sector_rows",
        "parts",
        "tags",
    ).order_by("order")
    steps = Step.objects.prefetch_related("bullets", "links").order_by("order")
    phases = Phase.objects.prefetch_related(Prefetch("steps", queryset=steps)).order_by("order")
    return framework.sections.order_by("order").prefetch_related(
        Prefetch("items", queryset=items),
        Prefetch("phases", queryset=phases),
        "links",
    )


def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def item_as_dict(item: Item) -> dict[str, Any]:
    tags: dict[str, list[str]] = {}
    for tag in item.tags.all():
        tags.setdefault(tag.vocabulary, []).append(tag.code)
    parts = []
    for part in item.parts.all():
        entry: dict[str, Any] = {"key": part.key, "type": part.type}
        if part.label:
            entry["label"] = part.label
        if part.unit:
            entry["unit"] = part.unit
        if part.min_value is not None:
            entry["min"] = _number(part.min_value)
        if part.max_value is not None:
            entry["max"] = _number(part.max_value)
        if part.integer:
            entry["integer"] = True
        if part.norm_key:
            entry["norm_key"] = part.norm_key
        parts.append(entry)
    sectors = sorted(row.sector for row in item.sector_rows.all())
    result: dict[str, Any] = {
        "code": item.code,
        "text": item.text,
        "explanation": item.explanation,
        "examples": [example.text for example in item.examples.all()],
        "responsible": [link.role.label for link in item.responsible_links.all()],
        "responsible_keys": [link.role.key for link in item.responsible_links.all()],
        "parts": parts,
        "sectors": sectors or ["all"],
        "confidential": item.confidential,
        "tags": {key: sorted(codes) for key, codes in sorted(tags.items())},
    }
    if item.number is not None:
        result["number"] = item.number
    if item.note:
        result["note"] = item.note
    return result


def framework_as_dict(framework: Framework) -> dict[str, Any]:
    """The framework as plain data. A loaded version never changes, so the result is
    built once per process and copied for each caller."""
    return copy.deepcopy(_framework_as_dict(framework.pk, framework.content_sha256))


@lru_cache(maxsize=32)
def _framework_as_dict(pk: int, content_sha256: str) -> dict[str, Any]:
    framework = Framework.objects.get(pk=pk, content_sha256=content_sha256)
    sections = []
    for section in sections_with_content(framework):
        entry: dict[str, Any] = {
            "code": section.code,
            "title": section.title,
            "introduction": section.introduction,
            "links": [linked.code for linked in section.links.all()],
            "items": [item_as_dict(item) for item in section.items.all()],
        }
        phases = list(section.phases.all())
        if phases:
            entry["phases"] = [
                {
                    "title": phase.title,
                    "steps": [
                        {"code": step.code, "text": step.as_text()} for step in phase.steps.all()
                    ],
                }
                for phase in phases
            ]
        sections.append(entry)
    return {
        "id": framework.slug,
        "version": framework.version,
        "kind": framework.kind,
        "title": framework.title,
        "publisher": framework.publisher,
        "source": framework.source,
        "scale": [
            {"value": level.value, "label": level.label, "meaning": level.meaning}
            for level in framework.scale.all()
        ],
        "sections": sections,
    }
