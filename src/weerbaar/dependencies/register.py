"""The dependency register: critical suppliers per organisation, and what the region shares.

Suppliers are matched across organisations on a normalised name ("Brandstoffen Oost B.V." and
"brandstoffen oost bv" are one supplier). The region sees single points of failure — one
supplier that many organisations rely on in a category — and IT that depends on suppliers
outside Europe. Who relies on which supplier is organisation data: coordinators see the
names, others see counts, and only for groups of at least the region's minimum size.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from weerbaar.audit.models import audit_record
from weerbaar.dependencies.models import IT_CATEGORIES, Dependency, DependencyCategory, Origin
from weerbaar.disclosure.rules import disclosable, uniform_hidden, visible_organisations
from weerbaar.organisations.models import Organisation, Region
from weerbaar.versions import Stale, locked_at

SHARED_SHARE = 0.25
"""A supplier is a single point of failure when at least this share of the organisations
that filled in the category rely on it (and at least two organisations do)."""

KEY_LENGTH = 200  # Dependency.supplier_key

_LEGAL_FORMS = re.compile(r"\b(b\.?\s?v\.?|n\.?\s?v\.?|inc\.?|ltd\.?|gmbh|s\.?a\.?|plc|llc)$")


def supplier_key(name: str) -> str:
    """The name suppliers are matched on: no accents, case, punctuation or legal form."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"\s+", " ", text).strip()
    text = _LEGAL_FORMS.sub("", text).strip(" .,-")
    # Decomposition can lengthen a name ("ﬃ" → "ffi"): the key keeps to the name's limit.
    return re.sub(r"[^a-z0-9 ]", "", text).strip()[:KEY_LENGTH].strip()


class StaleDependency(Stale):
    """Someone else changed (or removed) the supplier since it was read."""


class DuplicateDependency(Exception):
    """The organisation already lists this supplier in this category."""


def dependency_state(dependency: Dependency) -> dict[str, Any]:
    return {
        "category": dependency.category,
        "supplier": dependency.supplier,
        "origin": dependency.origin,
        "alternative": dependency.alternative,
        "note": dependency.note,
        "version": dependency.version,
    }


def _duplicate(organisation: Organisation, category: str, key: str, pk: int | None) -> bool:
    others = Dependency.objects.filter(
        organisation=organisation, category=category, supplier_key=key
    )
    if pk is not None:
        others = others.exclude(pk=pk)
    return others.exists()


@transaction.atomic
def dependency_save(
    *,
    organisation: Organisation,
    by: Any,
    category: str,
    supplier: str,
    origin: str = Origin.UNKNOWN,
    alternative: str = "",
    note: str = "",
    dependency: Dependency | None = None,
    expected_version: int | None = None,
) -> Dependency:
    """Add a supplier (``dependency`` None) or change one the person read at
    ``expected_version``; raises StaleDependency or DuplicateDependency (nothing saved)."""
    key = supplier_key(supplier)
    old = None
    if dependency is not None:
        current = locked_at(
            Dependency.objects.filter(pk=dependency.pk), expected_version, StaleDependency
        )
        if current is None:
            raise StaleDependency(None)
        old = dependency_state(current)
        dependency = current
        dependency.version += 1
    else:
        dependency = Dependency(organisation=organisation)
    if _duplicate(organisation, category, key, dependency.pk):
        raise DuplicateDependency
    dependency.category = category
    dependency.supplier = supplier.strip()
    dependency.supplier_key = key
    dependency.origin = origin
    dependency.alternative = alternative.strip()
    dependency.note = note.strip()
    dependency.updated_at = timezone.now()
    dependency.updated_by = by if getattr(by, "is_authenticated", False) else None
    try:
        with transaction.atomic():  # a savepoint: the outer transaction stays usable
            dependency.save()
    except IntegrityError:  # a colleague added the same supplier a moment earlier
        raise DuplicateDependency from None
    audit_record(
        actor=by,
        action="dependency.update" if old else "dependency.create",
        obj=dependency,
        organisation=organisation,
        old=old,
        new=dependency_state(dependency),
    )
    return dependency


@transaction.atomic
def dependency_delete(*, dependency: Dependency, by: Any, expected_version: int) -> None:
    """Remove a supplier the person read at ``expected_version`` (StaleDependency else)."""
    current = locked_at(
        Dependency.objects.filter(pk=dependency.pk), expected_version, StaleDependency
    )
    if current is None:
        raise StaleDependency(None)
    dependency = current
    audit_record(
        actor=by,
        action="dependency.delete",
        obj=dependency,
        organisation=dependency.organisation,
        old=dependency_state(dependency),
    )
    dependency.delete()


# --- the regional register -------------------------------------------------------------


@dataclass
class SharedSupplier:
    name: str
    organisations: int
    of: int  # organisations that filled in this category
    origin: str
    without_alternative: int | None  # None: withheld (or the supplier is)
    names: list[str] = field(default_factory=list)  # only when the viewer may see them
    suppressed: bool = False

    @property
    def origin_label(self) -> str:
        return str(Origin(self.origin).label)

    @property
    def share(self) -> int:
        return round(100 * self.organisations / self.of) if self.of else 0


@dataclass
class CategoryPicture:
    category: str
    label: str
    organisations: int  # that filled in this category
    suppliers: list[SharedSupplier]

    @property
    def withheld(self) -> int:
        return sum(1 for s in self.suppliers if s.suppressed)

    @property
    def single_points(self) -> list[SharedSupplier]:
        return [
            s
            for s in self.suppliers
            if not s.suppressed and s.organisations >= 2 and s.share >= SHARED_SHARE * 100
        ]


@dataclass
class Register:
    region: Region
    organisations: int  # in the region
    reporting: int  # with at least one supplier recorded
    categories: list[CategoryPicture]
    outside_europe_it: list[SharedSupplier]


def register(user: Any, region: Region) -> Register:
    """The region's dependency register as ``user`` may see it (three queries)."""
    rows = list(
        Dependency.objects.filter(organisation__region=region).values_list(
            "organisation_id",
            "organisation__name",
            "category",
            "supplier",
            "supplier_key",
            "origin",
            "alternative",
        )
    )
    visible = visible_organisations(user, region)
    minimum = region.min_group_size
    by_category: dict[str, dict[str, list[tuple[int, str, str, str, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for org_id, org_name, category, supplier, key, origin, alternative in rows:
        by_category[category][key].append((org_id, org_name, supplier, origin, alternative))

    def shared(entries: list[tuple[int, str, str, str, str]], of: int) -> SharedSupplier:
        orgs = {org for org, *_ in entries}
        spelling = Counter(supplier for _, _, supplier, _, _ in entries).most_common(1)[0][0]
        origin = Counter(o for *_, o, _ in entries).most_common(1)[0][0]
        ok = disclosable(orgs, visible, minimum)
        lacking = {org for org, *_, alt in entries if not alt}  # no fallback recorded
        return SharedSupplier(
            name=spelling if ok else "",
            organisations=len(orgs) if ok else 0,
            of=of,
            origin=origin,
            without_alternative=(
                sum(1 for *_, alt in entries if not alt)
                if ok and not uniform_hidden(orgs, visible, lacking)
                else None
            ),
            names=sorted({name for org, name, *_ in entries if org in visible}) if ok else [],
            suppressed=not ok,
        )

    categories = []
    for category, label in DependencyCategory.choices:
        suppliers = by_category.get(category, {})
        filled = {org for entries in suppliers.values() for org, *_ in entries}
        pictures = [shared(entries, len(filled)) for entries in suppliers.values()]
        pictures.sort(key=lambda s: (s.suppressed, -s.organisations, s.name.casefold()))
        categories.append(CategoryPicture(category, str(label), len(filled), pictures))
    outside = [
        supplier
        for picture in categories
        if picture.category in IT_CATEGORIES
        for supplier in picture.suppliers
        if supplier.origin == Origin.OUTSIDE
    ]
    return Register(
        region=region,
        organisations=Organisation.objects.filter(region=region).count(),
        reporting=len({org for org, *_ in rows}),
        categories=categories,
        outside_europe_it=outside,
    )
