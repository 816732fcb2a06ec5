from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import labels
from .engine import Assumptions
from .models import PowerDependentClients
from .presets import ASSUMPTION_LIMITS, HORIZON_LIMIT


class ClientsForm(forms.ModelForm[PowerDependentClients]):
    class Meta:
        model = PowerDependentClients
        fields = ("municipality", "device", "count", "battery_hours")


# --- A saved scenario -----------------------------------------------------------------------

KIND_CHOICES = [("", "—"), *[(k, v) for k, v in labels.OUTAGES.items()]]


class OutageForm(forms.Form):
    """One outage: what, from which hour, how long, for whom (nobody chosen: the region)."""

    kind = forms.ChoiceField(
        label=_("Uitval van"),
        choices=KIND_CHOICES,
        required=False,
        help_text=_("— : geen uitval; kies dit om een uitval te schrappen."),
    )
    start_hour = forms.DecimalField(
        label=_("Vanaf uur"), min_value=0, max_value=HORIZON_LIMIT * 24, initial=0, required=False
    )
    duration_hours = forms.DecimalField(
        label=_("Duur (uren)"), min_value=0, max_value=24 * 365, required=False
    )
    organisations = forms.TypedMultipleChoiceField(
        label=_("Alleen deze organisaties"), coerce=int, required=False
    )
    municipalities = forms.MultipleChoiceField(label=_("Alleen deze gemeenten"), required=False)

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[int, str]],
        municipalities: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisations"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = organisations
        places = self.fields["municipalities"]
        assert isinstance(places, forms.MultipleChoiceField)
        places.choices = [(m, m) for m in municipalities]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") and data.get("duration_hours") is None:
            self.add_error("duration_hours", _("Hoe lang duurt de uitval?"))
        return data


OutageFormSet = forms.formset_factory(OutageForm, extra=1, max_num=8, absolute_max=8)


class ScenarioForm(forms.Form):
    """The rest of a scenario; the numbers in the units the users think in (percentages)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    name = forms.CharField(label=_("Naam"), max_length=200)
    horizon_days = forms.IntegerField(
        label=_("Horizon (dagen)"), min_value=1, max_value=HORIZON_LIMIT
    )
    staff_absence_pct = forms.DecimalField(
        label=_("Personeelsuitval (%)"), min_value=0, max_value=100, initial=0
    )
    supply_start_day = forms.DecimalField(
        label=_("Leveringsstop begint na (dagen)"),
        min_value=0,
        max_value=HORIZON_LIMIT,
        initial=0,
        help_text=_("0: meteen bij de start van het scenario."),
    )
    supply_days = forms.DecimalField(
        label=_("Leveringsstop (dagen)"),
        min_value=0,
        max_value=365,
        initial=0,
        help_text=_("Medicijnen, middelen en materialen komen zo lang niet binnen; 0: geen stop."),
    )
    inflow_days = forms.IntegerField(
        label=_("Instroom slachtoffers (dagen)"), min_value=0, max_value=HORIZON_LIMIT, initial=0
    )
    isolation_pct = forms.DecimalField(
        label=_("Eerst isoleren (% van de slachtoffers)"), min_value=0, max_value=100, initial=0
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for care, label in labels.CARE_TYPES.items():
            for name, text, low, high, default in (
                ("per_day", _("%(care)s: slachtoffers per dag"), 0, 100_000, 0),
                ("stay", _("%(care)s: ligduur (dagen)"), 1, 365, 7),
            ):
                said = text % {"care": label}
                self.fields[f"{name}_{care}"] = forms.DecimalField(
                    label=said,
                    min_value=low,
                    max_value=high,
                    initial=default,
                    widget=forms.NumberInput(attrs={"aria-label": said}),
                )
        for name, default, _reason in Assumptions.documented():
            label = labels.ASSUMPTIONS[name]
            help_text = labels.REASONS[name]
            if isinstance(default, bool):
                self.fields[f"a_{name}"] = forms.BooleanField(
                    label=label, required=False, help_text=help_text
                )
                continue
            low, high = ASSUMPTION_LIMITS[name]
            field_type = forms.IntegerField if isinstance(default, int) else forms.DecimalField
            self.fields[f"a_{name}"] = field_type(
                label=label, min_value=low, max_value=high, help_text=help_text
            )

    def clean(self) -> dict[str, Any]:
        """What depends on the horizon, checked on the fields themselves."""
        data = super().clean() or {}
        horizon = data.get("horizon_days")
        days = data.get("inflow_days")
        casualties = any(data.get(f"per_day_{c}") for c in labels.CARE_TYPES)
        if days == 0 and casualties:
            self.add_error("inflow_days", _("Hoeveel dagen komen er slachtoffers binnen?"))
        if horizon is not None:
            for name in ("inflow_days", "supply_start_day"):
                if data.get(name) is not None and data[name] > horizon:
                    self.add_error(
                        name, _("Niet later dan de horizon (%(n)s dagen).") % {"n": horizon}
                    )
        return data

    def care_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """Per care type: its label, casualties per day, length of stay (a table row)."""
        return [
            (str(label), self[f"per_day_{care}"], self[f"stay_{care}"])
            for care, label in labels.CARE_TYPES.items()
        ]

    def groups(self) -> dict[str, list[forms.BoundField]]:
        """The fields in the fieldsets of the page."""
        by_name = {f.name: f for f in self.visible_fields()}
        return {
            "general": [by_name[n] for n in ("name", "horizon_days", "staff_absence_pct")],
            "supply": [by_name[n] for n in ("supply_start_day", "supply_days")],
            "inflow": [by_name[n] for n in ("inflow_days", "isolation_pct")],
            "assumptions": [f for n, f in by_name.items() if n.startswith("a_")],
        }


def check_outages(outages: Any, horizon_days: int) -> bool:
    """Every outage starts within the horizon (an error on its field otherwise)."""
    fine = True
    for form in outages.forms:
        start = (form.cleaned_data or {}).get("start_hour")
        if start is not None and start > horizon_days * 24:
            form.add_error(
                "start_hour",
                _("Binnen de horizon: hoogstens uur %(n)s.") % {"n": horizon_days * 24},
            )
            fine = False
    return fine


def initial_from(description: dict[str, Any], version: int) -> tuple[dict[str, Any], list]:
    """The forms' initial values of a scenario description."""
    inflow = description.get("inflow") or {}
    stop = description.get("supply_stop") or {}
    initial: dict[str, Any] = {
        "version": version,
        "name": description.get("name", ""),
        "horizon_days": description.get("horizon_days", 30),
        "staff_absence_pct": description.get("staff_absence_pct", 0),
        "supply_start_day": stop.get("start_day", 0),
        "supply_days": stop.get("days", 0),
        "inflow_days": inflow.get("days", 0) if inflow else 0,
        "isolation_pct": round(float(inflow.get("isolation_share", 0)) * 100, 1),
    }
    for care in labels.CARE_TYPES:
        value = (inflow.get("per_day") or {}).get(care, 0)
        initial[f"per_day_{care}"] = max(value) if isinstance(value, list) and value else value
        initial[f"stay_{care}"] = (inflow.get("length_of_stay") or {}).get(care, 7)
    chosen = Assumptions(
        **{
            k: v
            for k, v in (description.get("assumptions") or {}).items()
            if k in Assumptions.__dataclass_fields__
        }
    )
    for name, _default, _reason in Assumptions.documented():
        initial[f"a_{name}"] = getattr(chosen, name)
    outages = [
        {
            "kind": o.get("kind", ""),
            "start_hour": o.get("start_hour", 0),
            "duration_hours": o.get("duration_hours"),
            "organisations": o.get("organisations") or [],
            "municipalities": o.get("municipalities") or [],
        }
        for o in description.get("outages") or []
        if isinstance(o, dict)
    ]
    return initial, outages


def description_from(form: ScenarioForm, outages: Any) -> dict[str, Any]:
    """A scenario description from the valid forms (the inverse of ``initial_from``)."""
    data = form.cleaned_data
    inflow_days = data["inflow_days"]
    description: dict[str, Any] = {
        "name": data["name"].strip(),
        "horizon_days": data["horizon_days"],
        "staff_absence_pct": float(data["staff_absence_pct"]),
        "outages": [
            {
                "kind": o["kind"],
                "start_hour": float(o.get("start_hour") or 0),
                "duration_hours": float(o["duration_hours"]),
                **({"organisations": o["organisations"]} if o.get("organisations") else {}),
                **({"municipalities": o["municipalities"]} if o.get("municipalities") else {}),
            }
            for o in (f.cleaned_data for f in outages.forms)
            if o and o.get("kind") and not o.get("DELETE")
        ],
        "assumptions": {
            name: (
                data[f"a_{name}"] if isinstance(default, bool | int) else float(data[f"a_{name}"])
            )
            for name, default, _reason in Assumptions.documented()
        },
    }
    if data["supply_days"]:
        description["supply_stop"] = {
            "start_day": float(data["supply_start_day"]),
            "days": float(data["supply_days"]),
        }
    per_day = {c: float(data[f"per_day_{c}"]) for c in labels.CARE_TYPES}
    if inflow_days and any(per_day.values()):
        description["inflow"] = {
            "days": inflow_days,
            "per_day": per_day,
            "length_of_stay": {c: float(data[f"stay_{c}"]) for c in labels.CARE_TYPES},
            "isolation_share": float(data["isolation_pct"]) / 100,
        }
    return description
