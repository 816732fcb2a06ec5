"""Which items an assessment asks, and which of them reach which person.

The respondent's part of the access layer: organisation-level access is ``organisations.access``
(``for_user``); on top of it a member reaches the questions routed to them through their
functionary roles or a direct assignment, which are questions of a self-assessment and so
live here, beside them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet

from weerbaar.frameworks.catalogue import catalogue
from weerbaar.frameworks.models import Item
from weerbaar.frameworks.routing import items_for_sector
from weerbaar.organisations import access
from weerbaar.organisations.access import Level
from weerbaar.organisations.models import Role

from .models import SUBMITTED_STATES, Assessment


def items_of(assessment: Assessment) -> QuerySet[Item]:
    """The items asked of this organisation: those of its sector that can be answered."""
    return (
        items_for_sector(assessment.round.framework, assessment.organisation.sector)
        .filter(parts__isnull=False)
        .distinct()
    )


def role_keys_of(user: Any, assessment: Assessment) -> set[str]:
    """The functionary roles (``ciso``, …) the user holds in the assessment's organisation."""
    return set(access.grants(user).functionary_keys.get(assessment.organisation_id, ()))


def is_member(user: Any, assessment: Assessment, *roles: Role) -> bool:
    """Is the user a member of the assessment's organisation (in one of ``roles``)?"""
    held = access.grants(user).organisation_roles.get(assessment.organisation_id, frozenset())
    return bool(held) and (not roles or any(role in held for role in roles))


def routed_items(assessment: Assessment, user: Any) -> QuerySet[Item]:
    """Items routed to this person: through their roles, or assigned to them directly."""
    if not is_member(user, assessment):
        return Item.objects.none()
    keys = role_keys_of(user, assessment)
    return (
        items_of(assessment)
        .filter(
            Q(responsible__key__in=keys)
            | Q(pk__in=assessment.item_assignments.filter(user_id=user.pk).values("item_id"))
        )
        .distinct()
    )


def items_for_user(assessment: Assessment, user: Any) -> QuerySet[Item]:
    """Items of ``assessment`` this person may see: all of them with organisation-level
    access (admins, coordinators; sharing readers all but the confidential ones, plus the
    confidential ones routed to them as a respondent), otherwise the ones routed to them."""
    if access.can(user, assessment.organisation, Level.DETAIL):
        items = items_of(assessment)
        if not access.sees_confidential(user, assessment.organisation):
            routed = routed_items(assessment, user).values("pk")
            items = items.filter(Q(confidential=False) | Q(pk__in=routed))
        return items
    return routed_items(assessment, user)


def can_answer(user: Any, assessment: Assessment, item: Item) -> bool:
    """May ``user`` change this answer now (the assessment is a concept)?"""
    return assessment.is_editable and answers_item(user, assessment, item)


def answerable_ids(user: Any, assessment: Assessment, items: Iterable[Item]) -> set[int]:
    """Which of ``items`` ``user`` may change now: ``can_answer`` for all of them at once
    (one query for a respondent, none for an admin)."""
    if not assessment.is_editable:
        return set()
    ids = {item.pk for item in items}
    if is_member(user, assessment, Role.ORG_ADMIN):
        return ids
    return ids & set(routed_items(assessment, user).values_list("pk", flat=True))


def answers_item(user: Any, assessment: Assessment, item: Item) -> bool:
    """Is this one of the user's questions, whatever the assessment's state? Organisation
    admins answer everything, respondents what is routed to them; coordinators and readers
    review but do not answer."""
    if is_member(user, assessment, Role.ORG_ADMIN):
        return True
    return routed_items(assessment, user).filter(pk=item.pk).exists()


def assessments_for(user: Any) -> QuerySet[Assessment]:
    """Assessments the user may open: organisation-level access, or items routed to them."""
    base = Assessment.objects.select_related("round", "round__framework", "organisation")
    full = base.for_user(user, Level.DETAIL)
    if not getattr(user, "is_authenticated", False):
        return full
    from weerbaar.organisations.models import Functionary

    mapped_orgs = Functionary.objects.filter(user_id=user.pk).values("organisation_id")
    # Routed work counts only while the person is still a member of the organisation.
    routed = base.filter(
        Q(organisation_id__in=mapped_orgs) | Q(item_assignments__user_id=user.pk),
        organisation__memberships__user_id=user.pk,
    )
    return (full | routed).distinct()


class Reach(NamedTuple):
    """How a person reaches one question of a self-assessment."""

    item: Item
    answers: bool  # may change the answer (whatever the state of the self-assessment)


def reach(user: Any, assessment: Assessment, code: str) -> Reach | None:
    """The question ``code`` as ``user`` reaches it, or None when they may not see it (a 404).

    The same rules as ``assessments_for``, ``items_for_user`` and ``answers_item`` together,
    decided from the user's grants and the framework in memory: at most one query (a direct
    assignment), so saving an answer stays cheap. ``assessment`` needs its round's framework
    and its organisation loaded."""
    entry = catalogue(assessment.round.framework).get(code)
    if (
        entry is None
        or not entry.answerable
        or not entry.applies_to(assessment.organisation.sector)
    ):
        return None
    routed: bool | None = None

    def is_routed() -> bool:
        nonlocal routed
        if routed is None:
            routed = is_member(user, assessment) and (
                bool(role_keys_of(user, assessment) & entry.responsible)
                or assessment.item_assignments.filter(
                    user_id=user.pk, item_id=entry.item.pk
                ).exists()
            )
        return routed

    shared = assessment.state in SUBMITTED_STATES or access.sees_drafts(
        user, assessment.organisation
    )
    if shared and access.can(user, assessment.organisation, Level.DETAIL):
        visible = (
            not entry.item.confidential
            or access.sees_confidential(user, assessment.organisation)
            or is_routed()
        )
    else:
        visible = is_routed()
    if not visible:
        return None
    return Reach(entry.item, is_member(user, assessment, Role.ORG_ADMIN) or is_routed())
