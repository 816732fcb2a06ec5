"""The Dutch words for the engine's keys, for the screens and the PDF report."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RESOURCES = {
    "power": _("Noodstroom"),
    "water": _("Drinkwater"),
    "gas": _("Gas (alternatieven)"),
    "telecom": _("Telecom en IT (noodcommunicatie)"),
    "utilities_stock": _("Voorraad nutsvoorzieningen"),
    "materials": _("Middelen en materialen"),
    "medication": _("Medicatie"),
    "critical": _("Kritieke middelen"),
}

SOURCES = {
    "power": "UV-01, UV-02",
    "water": "UV-03",
    "gas": "UV-05",
    "telecom": "CY-03",
    "utilities_stock": "UV-08",
    "materials": "UV-08",
    "medication": "UV-08",
    "critical": "VR-02",
}
"""Where each resource's figure comes from in the Kader: the question to improve."""

CARE_TYPES = {
    "ic": _("IC"),
    "trauma": _("Heelkunde/trauma"),
    "neuro": _("Neurochirurgie"),
    "rehab": _("Revalidatie"),
    "isolation": _("Isolatie"),
}

OUTAGES = {
    "power": _("Stroom"),
    "water": _("Water"),
    "gas": _("Gas"),
    "telecom": _("Telecom/IT"),
}

ASSUMPTIONS = {
    "rationing_stretch": _("Rantsoenering rekt de diesel (factor)"),
    "plan_level": _("Een plan telt vanaf niveau"),
    "absence_bed_share": _("Bedden buiten gebruik per % personeelsuitval (%)"),
    "isolation_hours": _("Uren isolatie vooraf"),
    "power_loss_closes_beds": _("Zonder noodstroom geen opname meer"),
    "improvement_hours": _("Stap gevoeligheid stroom en water (uren)"),
    "improvement_days": _("Stap gevoeligheid voorraden (dagen)"),
}

REASONS = {
    "rationing_stretch": _(
        "Een rantsoeneringsplan voor diesel (UV-02 minstens op het planniveau) laat de "
        "noodstroom zoveel keer langer meegaan: niet-kritieke verbruikers gaan uit."
    ),
    "plan_level": _(
        "Een plan telt vanaf dit volwassenheidsniveau (3, Geregeld: beschreven en bekend): het "
        "rantsoeneringsplan voor diesel (UV-02), de alternatieven als het gas stopt (UV-05) en "
        "de noodcommunicatie (CY-03). Zonder alternatief verliest een organisatie haar "
        "gasafhankelijke processen (verwarming, keuken, sterilisatie) of haar telefonie en IT "
        "zodra de uitval begint; met alternatief houdt zij stand."
    ),
    "absence_bed_share": _(
        "Elk procent personeelsuitval neemt zoveel procent van de bemenste bedden uit gebruik."
    ),
    "isolation_hours": _(
        "Slachtoffers die eerst geïsoleerd moeten worden, liggen zo lang op een isolatie-unit "
        "voor zij naar een bed gaan (seed: minimaal 24 uur op een 1-persoonskamer)."
    ),
    "power_loss_closes_beds": _(
        "Een organisatie die tijdens een stroomuitval zonder noodstroom komt, neemt vanaf die "
        "dag geen slachtoffers meer op."
    ),
    "improvement_hours": _(
        "De stap van de gevoeligheid voor stroom en water: zoveel uur langer volhouden."
    ),
    "improvement_days": _("De stap van de gevoeligheid voor voorraden: zoveel dagen meer."),
}
"""Why each assumption has its value, in the words of the screens and the report (the
engine's docstrings say the same in English)."""
