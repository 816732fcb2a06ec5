"""Forms of the crisis screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LogKind


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
    corrects = forms.IntegerField(required=False, widget=forms.HiddenInput)
