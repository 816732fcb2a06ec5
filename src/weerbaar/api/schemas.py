from __future__ import annotations

from typing import Any

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import model_validator


def _has_nul(value: Any) -> bool:
    """Any NUL in the text of a parsed JSON value (keys included), without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class InputSchema(Schema):
    """Base of every request body: a JSON object, without NUL characters in its text (the
    database refuses them)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object_without_nul(cls, data: Any) -> Any:
        raw = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(raw, dict):
            raise ValueError("Verwacht een JSON-object.")
        if _has_nul(raw):
            raise ValueError("Tekst mag geen NUL-teken bevatten.")
        return data


class Me(Schema):
    email: str
    name: str
    roles: list[str]


class FrameworkSummary(Schema):
    id: str
    version: str
    kind: str
    title: str
    sections: int
    items: int


class OrganisationOut(Schema):
    id: int
    name: str
    sector: str
    region: str


class LocationOut(Schema):
    name: str
    address: str
    postcode: str
    city: str
    beds: int | None


class FunctionaryOut(Schema):
    role: str
    people: list[str]


class OrganisationDetail(OrganisationOut):
    shares_with_region_readers: bool
    locations: list[LocationOut]
    functionaries: list[FunctionaryOut]


class Health(Schema):
    status: str
    database: str


FrameworkExport = dict[str, Any]


def aware(moment: Any) -> Any:
    """A date-time from a request body in the region's time zone when it names none (a naive
    one cannot be compared with the server's clock)."""
    from django.utils import timezone

    return (
        timezone.make_aware(moment) if moment is not None and timezone.is_naive(moment) else moment
    )
