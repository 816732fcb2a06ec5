from __future__ import annotations

from typing import Any

from ninja import Schema


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
