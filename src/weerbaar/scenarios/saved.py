"""Saved scenarios of a region and running one for a viewer.

Everyone who reads the region (its coordinators and region readers) runs the presets and the
region's saved scenarios, and makes a copy to adapt: for a regional exercise, or during a
crisis ("if this power cut lasts 48 more hours, who runs out?"). A saved scenario is changed
by whoever made it and by the region's coordinators; a change made on a stale copy is refused
(``StaleScenario``), never written over someone else's. Every change is audited.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.assessments.models import Round
from weerbaar.audit.models import audit_record
from weerbaar.ids import parse_id
from weerbaar.organisations import access
from weerbaar.organisations.access import NotAllowed
from weerbaar.organisations.models import Region, Role
from weerbaar.versions import Stale, locked_at

from .data import KADER, Loaded, choices, load
from .engine import Result, Scenario
from .models import Scenario as Saved
from .presets import PRESET_TITLES, PRESETS, ScenarioInvalid, scenario_from
from .summary import outcome


class StaleScenario(Stale):
    pass


def may_edit(user: Any, saved: Saved) -> bool:
    """The maker and the region's coordinators change or remove a saved scenario."""
    if access.holds_region(user, saved.region_id, Role.COORDINATOR):
        return True
    return saved.created_by_id == getattr(user, "pk", None) and access.reads_region(
        user, saved.region_id
    )


def rounds(region: Region) -> list[Round]:
    """The Kader rounds of the region whose figures a scenario can use, newest first."""
    return list(
        Round.objects.filter(region=region, framework__slug=KADER)  # scoped: the region read
        .select_related("framework")
        .order_by("-opens_on", "-pk")
    )


@dataclass
class Source:
    """What is run: a preset (``key``) or a saved scenario (``saved``)."""

    title: str
    description: dict[str, Any]
    key: str = ""
    saved: Saved | None = None

    @property
    def ref(self) -> str:
        return f"preset:{self.key}" if self.saved is None else str(self.saved.pk)


def preset_source(key: str) -> Source | None:
    if key not in PRESETS:
        return None
    return Source(str(PRESET_TITLES[key]), copy.deepcopy(PRESETS[key]), key=key)


def saved_source(saved: Saved) -> Source:
    return Source(saved.name, copy.deepcopy(saved.description), saved=saved)


def sources(user: Any, region: Region) -> list[Source]:
    """The presets, then the region's saved scenarios."""
    found = [preset_source(key) for key in PRESETS]
    saved = (
        Saved.objects.for_user(user)
        .filter(region=region)
        .select_related("region", "updated_by")
        .order_by("name", "pk")
    )
    return [s for s in found if s] + [saved_source(s) for s in saved]


def source_of(user: Any, region: Region, ref: str) -> Source | None:
    """``preset:<key>`` or a saved scenario's id, as the comparison's choices name them."""
    if ref.startswith("preset:"):
        return preset_source(ref.removeprefix("preset:"))
    pk = parse_id(ref)
    if pk is None:
        return None
    found = Saved.objects.for_user(user).filter(region=region, pk=pk).first()
    return saved_source(found) if found else None


@dataclass
class Evaluation:
    source: Source
    loaded: Loaded
    scenario: Scenario
    result: Result
    summary: dict[str, Any]


def evaluate(
    user: Any,
    region: Region,
    source: Source,
    *,
    round_: Round | None,
    reports: bool,
    loaded: Loaded | None = None,
) -> Evaluation:
    """Run ``source`` on the region's figures as ``user`` may see them (``scenarios.data``;
    ``loaded``: figures read before, for a comparison). Raises ``ScenarioInvalid`` when the
    description no longer fits the region (an organisation or municipality that is gone)."""
    if loaded is None:
        loaded = load(region, round_, use_reports=reports, viewer=user)
    scenario = scenario_from({**source.description, "name": source.title}, index=loaded.index)
    result, summarised = outcome(loaded, scenario)
    return Evaluation(source, loaded, scenario, result, summarised)


def _values(saved: Saved) -> dict[str, Any]:
    return {"name": saved.name, "description": saved.description}


@transaction.atomic
def scenario_copy(*, region: Region, by: Any, source: Source) -> Saved:
    """A saved copy of ``source`` to adapt, named after it."""
    if not access.reads_region(by, region.pk):
        raise NotAllowed(_("Alleen wie de regio leest, maakt scenario's."))
    name = _("Kopie van %(name)s") % {"name": source.title}
    saved = Saved.objects.create(
        region=region,
        name=name[:200],
        preset=source.key or (source.saved.preset if source.saved else ""),
        description={**source.description, "name": name[:200]},
        created_by=by,
        updated_by=by,
        version=1,
    )
    audit_record(actor=by, action="scenario.copy", obj=saved, new=_values(saved))
    return saved


@transaction.atomic
def scenario_save(
    *, saved: Saved, by: Any, description: dict[str, Any], expected_version: int
) -> Saved:
    """Store a changed description (checked by ``scenario_from`` first). Refused when
    someone else saved the scenario since ``expected_version``."""
    if not may_edit(by, saved):
        raise NotAllowed(_("Alleen de maker en de regiocoördinatoren wijzigen dit scenario."))
    scenario_from(description, index=choices(saved.region).index)  # raises ScenarioInvalid
    current = locked_at(Saved.objects.filter(pk=saved.pk), expected_version, StaleScenario)
    assert current is not None
    old = _values(current)
    current.name = str(description.get("name") or current.name)[:200]
    current.description = {**description, "name": current.name}
    current.updated_at, current.updated_by = timezone.now(), by
    current.version += 1
    current.save()
    audit_record(actor=by, action="scenario.save", obj=current, old=old, new=_values(current))
    return current


@transaction.atomic
def scenario_remove(*, saved: Saved, by: Any, expected_version: int) -> None:
    if not may_edit(by, saved):
        raise NotAllowed(_("Alleen de maker en de regiocoördinatoren verwijderen dit scenario."))
    current = locked_at(Saved.objects.filter(pk=saved.pk), expected_version, StaleScenario)
    assert current is not None
    audit_record(actor=by, action="scenario.remove", obj=current, old=_values(current))
    current.delete()


__all__ = ["ScenarioInvalid", "StaleScenario", "evaluate", "scenario_copy", "scenario_save"]
