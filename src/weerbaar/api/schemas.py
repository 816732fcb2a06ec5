from __future__ import annotations

from typing import Any

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import model_validator


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
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
