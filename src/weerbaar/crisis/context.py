"""What stands beside an action card in an incident: the organisation's own preparation for
that disbalans (its last established round of the preparation checklists) and the stored
figures that matter for it. Unknown is shown as unknown, never as fine."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from weerbaar.assessments.models import AnswerValue, Assessment, AssessmentState, Maturity
from weerbaar.frameworks.models import AnswerPart, Framework, Item
from weerbaar.organisations.models import Organisation

from .models import Incident

KADER = "kader-weerbare-zorg"
ACTION_CARDS = "zorgcontinuiteit-in-balans"

FIGURES: dict[str, tuple[str, ...]] = {
    "D1": ("noodstroom_uren",),
    "D5": ("noodstroom_uren", "drinkwater_uren", "voorraad_nutsvoorzieningen_dagen"),
    "D6": (
        "voorraad_middelen_materialen_dagen",
        "voorraad_medicatie_dagen",
        "voorraad_kritieke_middelen_dagen",
    ),
    "D7": ("voorraad_medicatie_dagen", "voorraad_middelen_materialen_dagen"),
}
"""Which stored figures matter for which card, by the norm keys of the Kader's answer parts
(stable across library loads): hours on emergency power and water for a utility outage, days
of stock for a supply stop."""


@dataclass(frozen=True)
class Prepared:
    item: Item
    level: str | None  # the label of the established level; None: unknown

    @property
    def known(self) -> bool:
        return self.level is not None


@dataclass(frozen=True)
class Figure:
    label: str
    unit: str
    value: Decimal | None  # None: unknown


@dataclass(frozen=True)
class CardContext:
    preparation: list[Prepared]
    prepared_in: Assessment | None  # the established round they come from
    figures: list[Figure]
    figures_from: Assessment | None


def latest_final(organisation: Organisation, slug: str) -> Assessment | None:
    """The organisation's last established self-assessment of framework ``slug``."""
    return (
        Assessment.all_objects.filter(
            organisation=organisation,
            round__framework__slug=slug,
            state=AssessmentState.FINAL,
        )
        .select_related("round", "round__framework")
        .order_by("-finalised_at", "-pk")
        .first()
    )


def card_context(incident: Incident, code: str) -> CardContext:
    """The preparation and figures beside card ``code`` (a few queries)."""
    prepared_in = latest_final(incident.organisation, ACTION_CARDS)
    labels = dict(Maturity.choices)
    preparation: list[Prepared] = []
    framework = prepared_in.round.framework if prepared_in else incident.framework
    items = list(
        Item.objects.filter(section__framework=framework, section__code=code).order_by("order")
    )
    levels: dict[int, str] = {}
    if prepared_in is not None:
        for item_id, maturity, not_applicable in AnswerValue.objects.filter(
            answer__assessment=prepared_in, answer__item__in=items
        ).values_list("answer__item_id", "maturity", "answer__not_applicable"):
            if not_applicable:
                levels[item_id] = "N.v.t."
            elif maturity and maturity != Maturity.UNKNOWN:
                levels[item_id] = str(labels.get(maturity, maturity))
    preparation = [Prepared(item, levels.get(item.pk)) for item in items]

    figures_from = latest_final(incident.organisation, KADER)
    keys = FIGURES.get(code, ())
    figures: list[Figure] = []
    if keys:
        kader = (
            figures_from.round.framework
            if figures_from
            else Framework.objects.filter(slug=KADER).order_by("-loaded_at").first()
        )
        parts = {
            part.norm_key: part
            for part in AnswerPart.objects.filter(norm_key__in=keys, item__section__framework=kader)
        }
        values: dict[int, Any] = {}
        if figures_from is not None:
            values = dict(
                AnswerValue.objects.filter(
                    answer__assessment=figures_from,
                    part__in=list(parts.values()),
                    answer__not_applicable=False,
                ).values_list("part_id", "number")
            )
        for key in keys:
            part = parts.get(key)
            figures.append(
                Figure(
                    label=part.label if part else key,
                    unit=part.unit if part else "",
                    value=values.get(part.pk) if part else None,
                )
            )
    return CardContext(preparation, prepared_in, figures, figures_from)
