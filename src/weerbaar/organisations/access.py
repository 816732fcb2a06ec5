"""The one access layer for organisation data.

Every view, API endpoint and command that reads or writes data owned by an organisation
gets it through these functions; nothing filters by hand. Another organisation's object
is a 404 (``Http404``), never a 403, so its existence is not confirmed.

Levels of access to an organisation:

* ``LIST``: see that it exists (name, sector). Coordinators and region readers for their
  region, organisation admins for their own organisations.
* ``DETAIL``: see its data (locations, people, answers). Coordinators; organisation admins
  of the organisation; region readers only when the organisation shares with them.
* ``MANAGE``: change its data. Coordinators of the region; organisation admins.

Answers to confidential questions (casualty-care capacity) are narrower than DETAIL: only the
organisation's admins and the region's coordinators see them (``sees_confidential``); others
see them only aggregated over enough organisations (``disclosure.rules.disclosable``).

Respondents get no organisation-level access: they see only what is assigned to them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import connections
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Functionary, Membership, Organisation, Region, Role

if TYPE_CHECKING:
    from weerbaar.accounts.models import User

M = TypeVar("M", bound=Model)


class NotAllowed(PermissionDenied):
    """The one refusal of the domain: ``by`` may see this, but may not do this. Views get a
    403 from Django, the API a 403 with the (Dutch) reason; what ``by`` may not even see is
    an ``Http404`` from the lookups below instead."""


class Level(enum.Enum):
    LIST = "list"
    DETAIL = "detail"
    MANAGE = "manage"


def _memberships(user: Any) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(user=user)


@dataclass(frozen=True)
class Grants:
    """Everything a user holds, read in one query and kept on the user object for the rest of
    the request: region roles, organisation roles and the functionary roles (``ciso``, …)
    that route questions to them."""

    coordinator_regions: frozenset[int] = frozenset()
    reader_regions: frozenset[int] = frozenset()
    admin_organisations: frozenset[int] = frozenset()
    organisation_roles: dict[int, frozenset[Role]] = field(default_factory=dict)
    functionary_keys: dict[int, frozenset[str]] = field(default_factory=dict)
    roles: frozenset[Role] = frozenset()


NO_GRANTS = Grants()
READS_REGION = (Role.COORDINATOR, Role.REGION_READER)
"""The roles that see a region's picture (``get_region(user, pk, *READS_REGION)``)."""
_FUNCTIONARY = "functionary"


def grants(user: Any) -> Grants:
    """The user's grants (one query, then cached on ``user``); none for an inactive user."""
    cached = getattr(user, "_weerbaar_grants", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_GRANTS
    rows = _grant_rows(user.pk)
    coordinator: set[int] = set()
    reader: set[int] = set()
    admin: set[int] = set()
    organisation_roles: dict[int, set[Role]] = {}
    keys: dict[int, set[str]] = {}
    roles: set[Role] = set()
    for role, region_id, organisation_id, role_key in rows:
        if role == _FUNCTIONARY:
            if organisation_id is not None:
                keys.setdefault(organisation_id, set()).add(role_key)
            continue
        roles.add(Role(role))
        if role == Role.COORDINATOR:
            coordinator.add(region_id)
        elif role == Role.REGION_READER:
            reader.add(region_id)
        if organisation_id is not None:
            organisation_roles.setdefault(organisation_id, set()).add(Role(role))
            if role == Role.ORG_ADMIN:
                admin.add(organisation_id)
    result = Grants(
        coordinator_regions=frozenset(coordinator),
        reader_regions=frozenset(reader),
        admin_organisations=frozenset(admin),
        organisation_roles={k: frozenset(v) for k, v in organisation_roles.items()},
        functionary_keys={k: frozenset(v) for k, v in keys.items()},
        roles=frozenset(roles),
    )
    user._weerbaar_grants = result
    return result


def _grant_rows(user_id: int) -> list[tuple[str, int, int | None, str]]:
    """(role, region, organisation, "") per membership and (``functionary``, region,
    organisation, role key) per functionary role, in one statement (on every request)."""
    connection = connections[Membership.objects.db]
    sql = _GRANTS_SQL.get(connection.vendor)
    if sql is None:
        quote = connection.ops.quote_name
        membership, functionary = Membership._meta, Functionary._meta
        organisation = Organisation._meta
        # Names from the models, values as parameters.
        members, roles = quote(membership.db_table), quote(functionary.db_table)
        organisations = quote(organisation.db_table)
        sql = (
            f"SELECT role, region_id, organisation_id, '' FROM {members} "  # noqa: S608
            f"WHERE user_id = %s UNION ALL "
            f"SELECT %s, o.region_id, f.organisation_id, f.role_key FROM {roles} f "
            f"INNER JOIN {organisations} o ON o.id = f.organisation_id WHERE f.user_id = %s"
        )
        _GRANTS_SQL[connection.vendor] = sql
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, _FUNCTIONARY, user_id])
        return list(cursor.fetchall())


_GRANTS_SQL: dict[str, str] = {}


def forget(user: Any) -> None:
    """Drop the cached grants of ``user`` (after its memberships or roles changed)."""
    for name in ("_weerbaar_grants",):
        if hasattr(user, name):
            delattr(user, name)


def roles_of(user: Any) -> set[Role]:
    """The roles a user holds anywhere."""
    return set(grants(user).roles)


def is_coordinator(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or Role.COORDINATOR in roles_of(user)


def regions_for(user: Any, *roles: Role) -> QuerySet[Region]:
    """Regions where the user holds one of ``roles`` (any role when none are given)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Region.objects.all()
    memberships = _memberships(user)
    if roles:
        memberships = memberships.filter(role__in=[r.value for r in roles])
    return Region.objects.filter(pk__in=memberships.values("region_id"))


def get_region(user: Any, pk: Any, *roles: Role) -> Region:
    """The region ``pk`` if ``user`` holds one of ``roles`` in it (any role when none are
    given); else ``Http404``, so that a region one has no part in is not confirmed."""
    try:
        return regions_for(user, *roles).get(pk=pk)
    except (Region.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Region not found") from exc


def _scopes(user: Any) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """(coordinator region ids, reader region ids, admin organisation ids)."""
    held = grants(user)
    return held.coordinator_regions, held.reader_regions, held.admin_organisations


def may(user: Any, organisation: Organisation, level: Level) -> bool:
    """``can`` without a query: decided from the user's grants and the organisation's region
    and sharing flag (the same rule as ``organisations_for``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    held = grants(user)
    if organisation.region_id in held.coordinator_regions:
        return True
    if organisation.pk in held.admin_organisations:
        return True
    if organisation.region_id in held.reader_regions:
        return level is Level.LIST or (
            level is Level.DETAIL and organisation.shares_with_region_readers
        )
    return False


def _condition(user: Any, level: Level, prefix: str = "") -> Q | None:
    """A Q on Organisation (or on ``prefix`` + organisation fields) for ``level``.

    None means "everything" (superuser); an empty ``Q(pk__in=[])`` means nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(**{f"{prefix}pk__in": []})
    if user.is_superuser:
        return None
    coordinator_regions, reader_regions, admin_orgs = _scopes(user)
    condition = Q(**{f"{prefix}pk__in": []})
    if coordinator_regions:
        condition |= Q(**{f"{prefix}region_id__in": sorted(coordinator_regions)})
    if admin_orgs:
        condition |= Q(**{f"{prefix}pk__in": sorted(admin_orgs)})
    if reader_regions and level is Level.LIST:
        condition |= Q(**{f"{prefix}region_id__in": sorted(reader_regions)})
    elif reader_regions and level is Level.DETAIL:
        condition |= Q(
            **{
                f"{prefix}region_id__in": sorted(reader_regions),
                f"{prefix}shares_with_region_readers": True,
            }
        )
    return condition


def organisations_for(user: Any, level: Level = Level.DETAIL) -> QuerySet[Organisation]:
    """The organisations ``user`` may access at ``level``."""
    condition = _condition(user, level)
    queryset = Organisation.objects.select_related("region")
    return queryset if condition is None else queryset.filter(condition)


def get_organisation(user: Any, pk: Any, level: Level = Level.DETAIL) -> Organisation:
    """The organisation ``pk`` if ``user`` may access it at ``level``; else ``Http404``."""
    try:
        return organisations_for(user, level).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Organisation not found") from exc


def can(user: Any, organisation: Organisation, level: Level) -> bool:
    """May ``user`` access ``organisation`` at ``level``? (No query once the grants are read.)"""
    return may(user, organisation, level)


def scope(
    queryset: QuerySet[M], user: Any, level: Level = Level.DETAIL, *, via: str = "organisation"
) -> QuerySet[M]:
    """Restrict a queryset of organisation-owned rows to what ``user`` may access.

    ``via`` is the lookup path from the model to its Organisation ("" for Organisation).
    """
    condition = _condition(user, level, prefix=f"{via}__" if via else "")
    return queryset if condition is None else queryset.filter(condition)


def get_scoped(
    queryset: QuerySet[M],
    user: Any,
    level: Level = Level.DETAIL,
    *,
    via: str = "organisation",
    **lookup: Any,
) -> M:
    """One organisation-owned row the user may access, or ``Http404``."""
    try:
        return scope(queryset, user, level, via=via).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found") from exc


def sees_confidential(user: Any, organisation: Organisation) -> bool:
    """May ``user`` see the answers to confidential questions (casualty capacity, …) of
    ``organisation``? Its own admins and the region's coordinators only — not region readers,
    even when the organisation shares its other answers with them."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    coordinator_regions, _readers, admin_orgs = _scopes(user)
    return organisation.region_id in coordinator_regions or organisation.pk in admin_orgs


def confidential_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations whose confidential answers ``user`` may see (see ``sees_confidential``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    coordinator_regions, _readers, admin_orgs = _scopes(user)
    return Organisation.objects.filter(
        Q(region_id__in=sorted(coordinator_regions)) | Q(pk__in=sorted(admin_orgs))
    )


def coordinated_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations in the regions the user coordinates (what they manage in /beheer/)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Organisation.objects.select_related("region")
    return Organisation.objects.select_related("region").filter(
        region__in=regions_for(user, Role.COORDINATOR)
    )


def coordinated_users(user: Any) -> QuerySet[Any]:
    """People a coordinator may manage: members of their regions only, never staff or
    superusers, and nobody who also belongs to a region they do not coordinate."""
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.all()
    if getattr(user, "is_superuser", False) and user.is_active:
        return people
    regions = regions_for(user, Role.COORDINATOR)
    return (
        people.filter(memberships__region__in=regions, is_staff=False, is_superuser=False)
        .exclude(memberships__region__in=Region.objects.exclude(pk__in=regions))
        .distinct()
    )


def members_of(user: User | Any, organisation: Organisation) -> QuerySet[Membership]:
    """Memberships of an organisation the user may see (DETAIL level required)."""
    get_organisation(user, organisation.pk, Level.DETAIL)
    return organisation.memberships.select_related("user").order_by("user__email")


def speaks_for(user: Any, region: Region) -> frozenset[str]:
    """The parties of the regional recommendations (``ghor``, ``gemeenten``, …) whose status
    ``user`` keeps in ``region`` as a region reader (``Membership.actor_key``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    keys = (
        _memberships(user)
        .filter(region=region, role=Role.REGION_READER)
        .exclude(actor_key="")
        .values_list("actor_key", flat=True)
    )
    return frozenset(keys)


def sees_drafts(user: Any, organisation: Organisation) -> bool:
    """May ``user`` see the concept answers (and the history) of ``organisation``'s
    self-assessments? Its members and the region's coordinators; a region reader sees what
    the organisation shares, which is what it submitted."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    held = grants(user)
    return (
        organisation.region_id in held.coordinator_regions
        or organisation.pk in held.organisation_roles
    )


def drafts_condition(user: Any, prefix: str = "") -> Q | None:
    """``sees_drafts`` as a Q on Organisation (or ``prefix`` + its fields); None: all."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(**{f"{prefix}pk__in": []})
    if user.is_superuser:
        return None
    held = grants(user)
    return Q(**{f"{prefix}region_id__in": sorted(held.coordinator_regions)}) | Q(
        **{f"{prefix}pk__in": sorted(held.organisation_roles)}
    )


def holds_region(user: Any, region_id: int, *roles: Role) -> bool:
    """Does ``user`` hold one of ``roles`` (coordinator, region reader) in the region, or is
    a superuser? Decided from the grants: no query once they are read."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    held = grants(user)
    return (Role.COORDINATOR in roles and region_id in held.coordinator_regions) or (
        Role.REGION_READER in roles and region_id in held.reader_regions
    )


def reads_region(user: Any, region_id: int) -> bool:
    """A coordinator or region reader of the region (or a superuser): the GHOR's side."""
    return holds_region(user, region_id, *READS_REGION)


def coordinates(user: Any, region: Region) -> bool:
    """Is ``user`` a coordinator of ``region`` (or a superuser)?"""
    return regions_for(user, Role.COORDINATOR).filter(pk=region.pk).exists()
