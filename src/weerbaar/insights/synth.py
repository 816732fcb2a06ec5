"""A synthetic region (or country) to measure the regional screens at scale.

``weerbaar synth --orgs 3000 --rounds 10`` builds organisations with a realistic mix of
sectors, one yearly round of the Kader weerbare zorg per year, and an answer to every
applicable question of every self-assessment: maturity that differs per organisation and
improves slowly over the years, numbers around plausible values (hours of emergency power,
days of stock, beds), yes/no and risk flags. Rows are written in bulk, not through the answer
form: this is test data, not history (no revisions, no audit).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from weerbaar.assessments.models import Answer, AnswerValue, Assessment, AssessmentState, Round
from weerbaar.frameworks.export import get_framework
from weerbaar.frameworks.models import AnswerPart, Item, PartType
from weerbaar.frameworks.routing import items_for_sector
from weerbaar.organisations.models import Organisation, Region, Sector
from weerbaar.planner import refresh_statistics
from weerbaar.scoring.models import Norm, ThemeTally
from weerbaar.scoring.tally import tally_refresh

# Roughly the Dutch mix: many care homes and pharmacies, few hospitals and one UMC per region.
SECTOR_WEIGHTS: dict[str, int] = {
    Sector.VVT: 30,
    Sector.APOTHEEK: 14,
    Sector.GEHANDICAPTENZORG: 12,
    Sector.GGZ: 10,
    Sector.ZIEKENHUIS: 6,
    Sector.ZBC: 6,
    Sector.HUISARTSENPOST: 5,
    Sector.REVALIDATIE: 4,
    Sector.GGD: 3,
    Sector.AMBULANCEZORG: 3,
    Sector.OVERIG: 6,
    Sector.UMC: 1,
}

# Typical amounts per unit, for number parts (scaled per organisation).
TYPICAL = {"uur": 48, "dagen": 7, "bedden": 12}
BATCH = 2000
SYNTH_NORMS = {"noodstroom_uren": 72, "drinkwater_uren": 48, "voorraad_medicatie_dagen": 7}


@dataclass(frozen=True)
class SynthResult:
    region: Region
    organisations: int
    rounds: int
    answers: int


def _chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def synthesise(
    *,
    organisations: int = 3000,
    rounds: int = 10,
    region_code: str = "synth",
    seed: int = 2026,
    first_year: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> SynthResult:
    """Create (or add to) region ``region_code`` with ``organisations`` organisations and
    ``rounds`` yearly rounds, every self-assessment fully answered."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    say = progress or (lambda message: None)
    framework = get_framework("kader-weerbare-zorg")
    region, _ = Region.objects.get_or_create(
        code=region_code, defaults={"name": f"Synthetische regio {region_code}"}
    )
    sectors = list(SECTOR_WEIGHTS)
    weights = list(SECTOR_WEIGHTS.values())
    with transaction.atomic():
        start = Organisation.objects.filter(region=region).count()
        Organisation.objects.bulk_create(
            [
                Organisation(
                    region=region,
                    name=f"Organisatie {start + i + 1:05d}",
                    sector=rng.choices(sectors, weights)[0],
                    shares_with_region_readers=rng.random() < 0.4,
                )
                for i in range(organisations)
            ],
            batch_size=BATCH,
        )
    for key, minimum in SYNTH_NORMS.items():
        Norm.objects.get_or_create(
            region=region,
            norm_key=key,
            defaults={"minimum": Decimal(minimum), "source": "Synthetische norm (benchmark)"},
        )
    orgs = list(Organisation.objects.filter(region=region).order_by("pk").values("pk", "sector"))
    say(f"{len(orgs)} organisaties in {region.name}")

    parts_by_item: dict[int, list[AnswerPart]] = {}
    for part in AnswerPart.objects.filter(item__section__framework=framework).order_by(
        "item_id", "order"
    ):
        parts_by_item.setdefault(part.item_id, []).append(part)
    applicable: dict[str, list[Item]] = {
        sector: [i for i in items_for_sector(framework, sector) if i.pk in parts_by_item]
        for sector in {org["sector"] for org in orgs}
    }
    # Each organisation has its own level of preparation and pace of improvement.
    base = {org["pk"]: rng.uniform(0.6, 3.2) for org in orgs}
    pace = {org["pk"]: rng.uniform(-0.05, 0.25) for org in orgs}
    size = {org["pk"]: rng.lognormvariate(0, 0.6) for org in orgs}

    last_year = first_year + rounds - 1 if first_year else timezone.localdate().year
    total_answers = 0
    now = timezone.now()
    for index in range(rounds):
        year = last_year - rounds + 1 + index
        latest = index == rounds - 1
        with transaction.atomic():
            round_ = Round.objects.create(
                region=region,
                framework=framework,
                title=f"Uitvraag {year}",
                opens_on=datetime.date(year, 3, 1),
                deadline=datetime.date(year, 6, 30),
            )
            states = [_state(rng, latest) for _ in orgs]
            Assessment.objects.bulk_create(
                [
                    Assessment(round=round_, organisation_id=org["pk"], state=state)
                    for org, state in zip(orgs, states, strict=True)
                ],
                batch_size=BATCH,
            )
            assessments = list(
                Assessment.objects.filter(round=round_).values_list("pk", "organisation_id")
            )
            sector_of = {org["pk"]: org["sector"] for org in orgs}
            for chunk in _chunks(assessments, 200):
                answers: list[Answer] = []
                pending: list[tuple[Answer, list[AnswerValue]]] = []
                for assessment_id, org_id in chunk:
                    mean = base[org_id] + pace[org_id] * index
                    for item in applicable[sector_of[org_id]]:
                        answer = Answer(
                            assessment_id=assessment_id,
                            item_id=item.pk,
                            version=1,
                            updated_at=now,
                        )
                        if rng.random() < 0.02:
                            answer.not_applicable = True
                            answer.na_reason = "Niet van toepassing op deze organisatie"
                            pending.append((answer, []))
                        else:
                            pending.append(
                                (
                                    answer,
                                    [
                                        _value(rng, part, mean, size[org_id])
                                        for part in parts_by_item[item.pk]
                                    ],
                                )
                            )
                        answers.append(answer)
                Answer.objects.bulk_create(answers, batch_size=BATCH)
                values = []
                for answer, answer_values in pending:
                    for value in answer_values:
                        value.answer_id = answer.pk
                        values.append(value)
                AnswerValue.objects.bulk_create(values, batch_size=BATCH)
                total_answers += len(answers)
            # Written in bulk, past answer_save: tally the theme scores here.
            tally_refresh(Assessment.objects.filter(round=round_))
        say(f"{round_.title}: {len(assessments)} zelfevaluaties, {total_answers} antwoorden")
    refresh_statistics(Organisation, Assessment, Answer, AnswerValue, ThemeTally)
    return SynthResult(region, len(orgs), rounds, total_answers)


def _state(rng: random.Random, latest: bool) -> str:
    if not latest:
        return AssessmentState.FINAL
    roll = rng.random()
    if roll < 0.35:
        return AssessmentState.CONCEPT
    if roll < 0.7:
        return AssessmentState.SUBMITTED
    return AssessmentState.REVIEWED


def _value(rng: random.Random, part: AnswerPart, mean: float, size: float) -> AnswerValue:
    value = AnswerValue(part=part)
    if part.type == PartType.MATURITY:
        if rng.random() < 0.04:
            value.maturity = "unknown"
        else:
            value.maturity = str(max(0, min(4, round(rng.gauss(mean, 0.9)))))
    elif part.type == PartType.NUMBER:
        typical = TYPICAL.get(part.unit, 10) * size
        number = max(float(part.min_value or 0), rng.gauss(typical, typical / 3))
        if part.max_value is not None:
            number = min(number, float(part.max_value))
        value.number = Decimal(round(number)) if part.integer else Decimal(f"{number:.1f}")
    elif part.type in (PartType.BOOLEAN, PartType.RISK_FLAG, PartType.NEED_FLAG):
        chance = {PartType.BOOLEAN: 0.7, PartType.RISK_FLAG: 0.15, PartType.NEED_FLAG: 0.4}
        value.flag = rng.random() < chance[PartType(part.type)]
    else:
        value.text = "Synthetisch antwoord"
    return value
