"""Demo rounds: last year's established answers for every demo organisation (with
realistic variation) and this year's round in progress, pre-filled from last year."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from weerbaar.frameworks.export import get_framework
from weerbaar.frameworks.models import Item, PartType
from weerbaar.organisations.models import Membership, Organisation, Region, Role

from . import rounds, workflow
from .answering import answer_save, snapshot
from .models import Answer, Round
from .routing import items_of

LAST_YEAR = "Uitvraag weerbare zorg 2025 (demo)"
THIS_YEAR = "Uitvraag weerbare zorg 2026 (demo)"

# Typical ranges for amounts, by norm key or unit.
RANGES: dict[str, tuple[int, int]] = {
    "noodstroom_uren": (8, 96),
    "drinkwater_uren": (2, 72),
    "dagen": (2, 30),
    "bedden": (0, 40),
    "units": (0, 12),
    "%": (40, 98),
    "medewerkers": (0, 25),
    "mm/uur": (20, 80),
    "°C": (28, 38),
}


def _value(part: Any, strength: float, rng: random.Random) -> Any:
    if part.type == PartType.MATURITY:
        if rng.random() < 0.05:
            return "unknown"
        level = round(min(4, max(0, rng.gauss(strength * 4, 1.0))))
        return str(level)
    if part.type == PartType.NUMBER:
        low, high = RANGES.get(part.norm_key, RANGES.get(part.unit, (0, 50)))
        value = low + (high - low) * min(1.0, max(0.0, rng.gauss(strength, 0.25)))
        if part.max_value is not None:
            value = min(value, float(part.max_value))
        return str(int(value)) if part.integer or part.unit != "%" else str(round(value))
    if part.type == PartType.RISK_FLAG:
        return rng.random() < 0.3
    if part.type == PartType.NEED_FLAG:
        return rng.random() < 0.6
    if part.type == PartType.BOOLEAN:
        return rng.random() < strength
    return rng.choice(
        [
            "",
            "Vastgelegd in het crisisplan.",
            "Wordt in Q2 uitgewerkt met de ketenpartners.",
            "Afspraken met de leverancier lopen nog.",
        ]
    )


def _answer_all(
    assessment: Any, by: Any, strength: float, rng: random.Random, share: float
) -> None:
    for item in items_of(assessment).prefetch_related("parts"):
        if rng.random() > share:
            continue
        if rng.random() < 0.03:
            data = {"not_applicable": True, "na_reason": "Geen eigen locatie; gehuurd pand."}
        else:
            data = {"values": {p.key: _value(p, strength, rng) for p in item.parts.all()}}
            if rng.random() < 0.3:
                data["explanation"] = "Besproken in het crisisteam."
            if rng.random() < 0.2:
                data["evidence_date"] = (
                    timezone.localdate() - datetime.timedelta(days=rng.randint(30, 400))
                ).isoformat()
        answer_save(assessment=assessment, item=item, data=data, expected_version=0, by=by)


def _admin_of(organisation: Organisation) -> Any:
    membership = (
        Membership.objects.filter(organisation=organisation, role=Role.ORG_ADMIN)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


@transaction.atomic
def load_demo_rounds(region: Region, coordinator: Any) -> bool:
    """Create the demo rounds once; returns False when they already exist."""
    if Round.objects.filter(region=region, title=LAST_YEAR).exists():
        return False
    rng = random.Random(2025)  # noqa: S311 - demo data, not security
    framework = get_framework("kader-weerbare-zorg")
    organisations = list(region.organisations.order_by("name"))
    today = timezone.localdate()
    last = rounds.round_open(
        region=region,
        framework=framework,
        organisations=organisations,
        title=LAST_YEAR,
        opens_on=today - datetime.timedelta(days=365),
        deadline=today - datetime.timedelta(days=300),
        introduction="De eerste regionale uitvraag van het Kader weerbare zorg.",
        by=coordinator,
    )
    strengths = {org.pk: rng.uniform(0.35, 0.85) for org in organisations}
    for assessment in last.assessments.select_related("organisation", "round__framework"):
        admin = _admin_of(assessment.organisation)
        _answer_all(assessment, admin, strengths[assessment.organisation_id], rng, share=0.97)
        workflow.assessment_submit(assessment=assessment, by=admin)
        workflow.assessment_approve(assessment=assessment, by=coordinator)
        workflow.assessment_finalise(assessment=assessment, by=coordinator)

    current = rounds.round_open(
        region=region,
        framework=framework,
        organisations=organisations,
        title=THIS_YEAR,
        opens_on=today - datetime.timedelta(days=20),
        deadline=today + datetime.timedelta(days=25),
        introduction=(
            "Bevestig of wijzig de antwoorden van vorig jaar. Vragen over capaciteit voor "
            "oorlogsslachtoffers zijn vertrouwelijk."
        ),
        prefill=True,
        by=coordinator,
    )
    for index, assessment in enumerate(
        current.assessments.select_related("organisation", "round__framework")
    ):
        admin = _admin_of(assessment.organisation)
        strength = min(0.95, strengths[assessment.organisation_id] + 0.08)
        answers = list(Answer.objects.filter(assessment=assessment).select_related("item"))
        for answer in answers[: int(len(answers) * rng.uniform(0.1, 0.9))]:
            item: Item = answer.item
            data = snapshot(answer, item)
            for part in item.parts.all():
                if part.type == PartType.MATURITY and data["values"].get(part.key) not in (
                    "",
                    "unknown",
                ):
                    level = int(data["values"][part.key])
                    data["values"][part.key] = str(
                        min(4, level + (1 if rng.random() < strength / 2 else 0))
                    )
            answer_save(
                assessment=assessment,
                item=item,
                data=data,
                expected_version=answer.version,
                by=admin,
            )
        if index % 4 == 1:
            workflow.assessment_submit(assessment=assessment, by=admin)
    return True
