"""The improvement plan (verbeterplan): actions of an organisation linked to its gaps.

Actions are changed only through these functions: they check the version the person read
(a stale edit is refused, never silently overwritten) and write the audit trail. A gap is
never closed by its actions: ``gap_state`` looks at the answers of the latest self-assessment.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.assessments.models import Assessment
from weerbaar.audit.models import audit_record
from weerbaar.frameworks.models import Item
from weerbaar.organisations.models import Organisation
from weerbaar.organisations.services import members
from weerbaar.plan.models import ActionStatus, ImprovementAction
from weerbaar.versions import Stale, locked_at


class StaleAction(Stale):
    """Someone else changed the action since it was read."""


class NotAColleague(ValueError):
    """The owner of an action must be a colleague: an active member of its organisation."""

    def __init__(self) -> None:
        super().__init__(_("De eigenaar moet een collega van deze organisatie zijn."))


def _check_owner(organisation: Organisation, owner: Any) -> None:
    if owner is not None and not members(organisation).filter(pk=owner.pk).exists():
        raise NotAColleague


FIELDS = ("title", "description", "owner_id", "due_on", "status", "item_id", "assessment_id")


def _state(action: ImprovementAction) -> dict[str, Any]:
    values = {field: getattr(action, field) for field in FIELDS}
    values["due_on"] = action.due_on.isoformat() if action.due_on else None
    values["version"] = action.version
    return values


@transaction.atomic
def action_create(
    *,
    organisation: Organisation,
    title: str,
    by: Any,
    description: str = "",
    owner: Any = None,
    due_on: datetime.date | None = None,
    status: str = ActionStatus.OPEN,
    item: Item | None = None,
    assessment: Assessment | None = None,
) -> ImprovementAction:
    _check_owner(organisation, owner)
    action = ImprovementAction.objects.create(
        organisation=organisation,
        assessment=assessment,
        item=item,
        title=title,
        description=description,
        owner=owner,
        due_on=due_on,
        status=status,
        created_by=by,
        updated_by=by,
    )
    audit_record(
        actor=by,
        action="improvement_action.create",
        obj=action,
        organisation=organisation,
        new=_state(action),
    )
    return action


@transaction.atomic
def action_update(
    *, action: ImprovementAction, expected_version: int, by: Any, **changes: Any
) -> ImprovementAction:
    """Change an action if nobody changed it since ``expected_version``."""
    current = locked_at(
        ImprovementAction.objects.filter(pk=action.pk), expected_version, StaleAction
    )
    assert current is not None  # an action is never deleted
    if "owner" in changes:
        _check_owner(current.organisation, changes["owner"])
    old = _state(current)
    for field, value in changes.items():
        if field not in {"title", "description", "owner", "due_on", "status"}:
            raise ValueError(f"not a changeable field: {field}")
        setattr(current, field, value)
    if _state(current) | {"version": 0} == old | {"version": 0}:
        return current  # nothing changed: no new version, no audit noise
    current.version += 1
    current.updated_at = timezone.now()
    current.updated_by = by if getattr(by, "is_authenticated", False) else None
    current.save()
    audit_record(
        actor=by,
        action="improvement_action.update",
        obj=current,
        organisation=current.organisation,
        old=old,
        new=_state(current),
    )
    return current


@dataclass(frozen=True)
class GapState:
    """Whether the gap an action is linked to is still a gap in the latest self-assessment."""

    open: bool
    assessment: Assessment


def gap_states(
    organisation: Organisation, codes: set[str], *, confidential: bool = True
) -> dict[str, GapState]:
    """For each item code: is it a gap in the organisation's latest self-assessment of the
    Kader that contains it? (Codes not asked there are left out, and so are confidential
    questions for a viewer who may not see them: ``confidential=False``.)"""
    from weerbaar.assessments.routing import items_of
    from weerbaar.scoring.gaps import insight

    if not codes:
        return {}
    latest = (
        Assessment.objects.filter(organisation=organisation)
        .select_related("round", "round__framework", "organisation")
        .order_by("-round__opens_on", "-pk")
    )
    states: dict[str, GapState] = {}
    seen: set[str] = set()
    for assessment in latest:
        framework = assessment.round.framework.slug
        if framework in seen:
            continue
        seen.add(framework)
        result = insight(assessment, confidential=confidential)
        asked_items = items_of(assessment)
        if not confidential:
            asked_items = asked_items.exclude(confidential=True)
        asked = set(asked_items.values_list("code", flat=True))
        open_codes = {gap.item.code for gap in result.gaps}
        for code in (codes & asked) - set(states):
            states[code] = GapState(open=code in open_codes, assessment=assessment)
        if set(states) >= codes:
            break
    return states
