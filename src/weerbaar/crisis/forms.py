"""Forms of the crisis screens."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.ids import MAX_ID

from .contacts import FIELDS as CONTACT_FIELDS
from .models import Channel, ContactKind, CrisisContact, LogKind, RegionalContact, Supply
from .status import BED_LIMIT, CHANNELS, FUEL_LIMIT, HOUR_LIMIT, TEXT_LIMIT

PHONE = r"^\+?[0-9 ()\-]{6,}$"
PHONE_MESSAGE = _("Vul een telefoonnummer in, bijvoorbeeld 06 1234 5678 of +31 38 123 4567.")


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    started_at = forms.DateTimeField(
        label=_("Begonnen op"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    codes = forms.MultipleChoiceField(
        label=_("Actieve disbalansen"), widget=forms.CheckboxSelectMultiple
    )
    locations = forms.MultipleChoiceField(
        label=_("Getroffen locaties"), widget=forms.CheckboxSelectMultiple, required=False
    )
    is_exercise = forms.BooleanField(
        label=_("Dit is een oefening"),
        required=False,
        help_text=_(
            "Een oefening telt niet mee in het regiobeeld en staat als bewijs van oefenen "
            "bij de organisatie."
        ),
    )

    def __init__(
        self, *args: Any, cards: list[tuple[str, str]], locations: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        codes = self.fields["codes"]
        places = self.fields["locations"]
        assert isinstance(codes, forms.MultipleChoiceField)
        assert isinstance(places, forms.MultipleChoiceField)
        codes.choices = cards
        places.choices = [(str(loc.pk), loc.name) for loc in locations]


class LogForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=LogKind.choices)
    text = forms.CharField(
        label=_("Tekst"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    corrects = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_ID
    )


def _count(label: Any, limit: int, too_many: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=limit,
        error_messages={
            "min_value": _("Een aantal kan niet negatief zijn."),
            "max_value": too_many,
            "invalid": _("Vul een heel getal in."),
        },
    )


class HoursField(forms.DecimalField):
    """Hours with a Dutch decimal comma (36,5) or a point (36.5); no thousands separator."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def _hours(label: Any) -> forms.DecimalField:
    return HoursField(
        label=label,
        required=False,
        min_value=0,
        max_value=HOUR_LIMIT,
        decimal_places=1,
        max_digits=6,
        error_messages={
            "min_value": _("Het aantal uren kan niet negatief zijn."),
            "max_value": _("Hoogstens %(limit_value)s uur (90 dagen)."),
            "invalid": _("Vul een aantal uren in, bijvoorbeeld 36 of 36,5."),
            "max_decimal_places": _("Hoogstens één cijfer achter de komma."),
            "max_digits": _("Hoogstens 2160 uur (90 dagen)."),
            "max_whole_digits": _("Hoogstens 2160 uur (90 dagen)."),
        },
    )


def _channel(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=False, choices=[("", _("Onbekend")), *Channel.choices]
    )


BEDS_TOO_MANY = _("Hoogstens %(limit_value)s bedden.")


class StatusReportForm(forms.Form):
    """One status report. Every figure may stay empty: empty is unknown, never zero."""

    beds_ic = _count(_("IC"), BED_LIMIT, BEDS_TOO_MANY)
    beds_trauma = _count(_("Heelkunde/trauma"), BED_LIMIT, BEDS_TOO_MANY)
    beds_neurosurgery = _count(_("Neurochirurgie"), BED_LIMIT, BEDS_TOO_MANY)
    beds_rehabilitation = _count(_("Revalidatie"), BED_LIMIT, BEDS_TOO_MANY)
    beds_isolation = _count(_("Isolatie"), BED_LIMIT, BEDS_TOO_MANY)
    beds_other = _count(_("Overig"), BED_LIMIT, BEDS_TOO_MANY)
    on_emergency_power = forms.NullBooleanField(
        label=_("Draait de organisatie nu op noodstroom?"),
        required=False,
        widget=forms.NullBooleanSelect,  # onbekend / ja / nee
    )
    power_hours = _hours(_("Uren noodstroom over"))
    fuel_litres = _count(
        _("Brandstof voor de noodstroom (liter)"), FUEL_LIMIT, _("Hoogstens %(limit_value)s liter.")
    )
    water_hours = _hours(_("Uren water over"))
    medical_gases = forms.ChoiceField(
        label=_("Medische gassen"),
        required=False,
        choices=[("", _("Onbekend")), *Supply.choices],
    )
    phone_fixed = _channel(_("Vaste telefonie"))
    phone_mobile = _channel(_("GSM"))
    emergency_network = _channel(_("Noodcommunicatie"))
    radio = _channel(_("Portofoon"))
    staff_shortage_pct = forms.IntegerField(
        label=_("Personeelstekort (%)"),
        required=False,
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("Een percentage ligt tussen 0 en 100."),
            "max_value": _("Een percentage ligt tussen 0 en 100."),
            "invalid": _("Vul een heel percentage in."),
        },
    )
    critical_shortages = forms.CharField(
        label=_("Kritieke tekorten"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    contact_name = forms.CharField(label=_("Contactpersoon"), required=False, max_length=200)
    contact_phone = forms.RegexField(
        label=_("Telefoon contactpersoon"),
        required=False,
        max_length=40,
        regex=PHONE,
        error_messages={"invalid": PHONE_MESSAGE},
    )
    notes = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = "power_hours" in self.errors or data.get("power_hours") is not None
        if data.get("on_emergency_power") and not given:
            self.add_error(
                "power_hours", _("Hoeveel uur noodstroom is er nog, als u er nu op draait?")
            )
        for name in ("medical_gases", *CHANNELS):
            data[name] = data.get(name) or ""
        return data


class SupportForm(forms.Form):
    what = forms.CharField(label=_("Wat is nodig"), max_length=300)
    quantity = forms.CharField(
        label=_("Hoeveel"),
        max_length=100,
        help_text=_("Bijvoorbeeld: 2.000 liter diesel, 4 IC-verpleegkundigen."),
    )
    needed_by = forms.DateTimeField(
        label=_("Nodig vóór"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class MessageForm(forms.Form):
    title = forms.CharField(label=_("Onderwerp"), max_length=200)
    body = forms.CharField(
        label=_("Handelingsperspectief"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Wat verwacht de regio nu van de organisaties?"),
    )
    to_all = forms.BooleanField(label=_("Aan alle organisaties van de regio"), required=False)
    organisations = forms.MultipleChoiceField(
        label=_("Of aan deze organisaties"), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_exercise = forms.BooleanField(label=_("Dit is een oefening"), required=False)

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisations"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(o.pk), o.name) for o in organisations]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("to_all") and not data.get("organisations"):
            self.add_error("organisations", _("Kies een of meer organisaties, of stuur aan allen."))
        return data


class ContactForm(forms.ModelForm[CrisisContact]):
    class Meta:
        model = CrisisContact
        fields = CONTACT_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("phone", "phone_alt", "backup_phone"):
            value = (data.get(name) or "").strip()
            if value and not re.match(PHONE, value):
                self.add_error(name, PHONE_MESSAGE)
        if data.get("kind") == ContactKind.PARTNER and not (data.get("partner") or "").strip():
            self.add_error("partner", _("Noem de organisatie van de ketenpartner."))
        return data


class RegionalContactForm(forms.ModelForm[RegionalContact]):
    class Meta:
        model = RegionalContact
        fields = ("function", "name", "phone", "phone_alt", "alternative", "always")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("phone", "phone_alt"):
            value = (data.get(name) or "").strip()
            if value and not re.match(PHONE, value):
                self.add_error(name, PHONE_MESSAGE)
        return data
