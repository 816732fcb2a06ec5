"""Business rules for organisations: mapping framework roles to people."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from weerbaar.accounts.models import User
from weerbaar.audit.models import audit_record
from weerbaar.frameworks.models import Framework, ResponsibleRole

from .models import Functionary, Organisation


@dataclass(frozen=True)
class RoleRow:
    key: str
    label: str
    people: list[User]


def responsible_roles(frameworks: Iterable[Framework]) -> list[tuple[str, str]]:
    """(key, label) of every responsible role used by ``frameworks``, first label wins."""
    seen: dict[str, str] = {}
    for role in ResponsibleRole.objects.filter(framework__in=list(frameworks)).order_by(
        "framework__slug", "order"
    ):
        seen.setdefault(role.key, role.label)
    return sorted(seen.items(), key=lambda pair: pair[1].lower())


def role_item_counts(organisation: Organisation, frameworks: Iterable[Framework]) -> dict[str, int]:
    """How many items of ``frameworks`` each responsible role answers for this organisation."""
    from django.db.models import Count

    from weerbaar.frameworks.models import ItemResponsible
    from weerbaar.frameworks.routing import items_for_sector

    counts: dict[str, int] = {}
    for framework in frameworks:
        items = items_for_sector(framework, organisation.sector).values("pk")
        rows = (
            ItemResponsible.objects.filter(item__in=items)
            .values("role__key")
            .annotate(n=Count("item", distinct=True))
        )
        for row in rows:
            counts[row["role__key"]] = counts.get(row["role__key"], 0) + row["n"]
    return counts


def members(organisation: Organisation) -> QuerySet[User]:
    """The active members of ``organisation`` (its colleagues): who can own its actions or be
    given its questions."""
    return (
        User.objects.filter(memberships__organisation=organisation, is_active=True)
        .distinct()
        .order_by("email")
    )


def functionary_rows(organisation: Organisation, roles: list[tuple[str, str]]) -> list[RoleRow]:
    assigned: dict[str, list[User]] = {}
    for row in organisation.functionaries.select_related("user").order_by("user__email"):
        assigned.setdefault(row.role_key, []).append(row.user)
    return [RoleRow(key, label, assigned.get(key, [])) for key, label in roles]


class StaleMapping(Exception):
    """The mapping changed since the form was shown: someone else saved in between."""


def mapping_version(organisation: Organisation) -> str:
    """A fingerprint of the current mapping, to detect concurrent edits."""
    rows = sorted(organisation.functionaries.values_list("role_key", "user_id"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


@transaction.atomic
def functionaries_set(
    *,
    organisation: Organisation,
    mapping: Mapping[str, Iterable[User]],
    by: User,
    expected_version: str | None = None,
) -> tuple[int, int]:
    """Make the people for each role key in ``mapping`` exactly the given ones.

    Only members of the organisation can be mapped (ValueError otherwise). When
    ``expected_version`` is given and the mapping changed since, nothing is saved
    (StaleMapping). Returns the numbers of mappings added and removed.
    """
    # Lock the organisation row so two saves of the same mapping are serialised.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if expected_version is not None and expected_version != mapping_version(organisation):
        raise StaleMapping
    allowed = set(members(organisation).values_list("pk", flat=True))
    added = removed = 0
    for key, people in mapping.items():
        wanted = {person.pk for person in people}
        if not wanted <= allowed:
            raise ValueError("Only members of the organisation can be functionaries.")
        current = set(
            organisation.functionaries.filter(role_key=key).values_list("user_id", flat=True)
        )
        if wanted != current:
            audit_record(
                actor=by,
                action="functionaries.set",
                object_type="organisations.functionary",
                organisation=organisation,
                old={"role": key, "users": _emails(current)},
                new={"role": key, "users": _emails(wanted)},
            )
        for user_id in wanted - current:
            Functionary.objects.create(organisation=organisation, role_key=key, user_id=user_id)
            added += 1
        for row in organisation.functionaries.filter(role_key=key, user_id__in=current - wanted):
            row.delete()
            removed += 1
    return added, removed


def _emails(user_ids: set[int]) -> list[str]:
    return sorted(User.objects.filter(pk__in=user_ids).values_list("email", flat=True))
