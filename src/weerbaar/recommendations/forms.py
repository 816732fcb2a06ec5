"""The form of a recommendation's status."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.recommendations.models import RecommendationState


class RecommendationForm(forms.Form):
    state = forms.ChoiceField(label=_("Status"), choices=RecommendationState.choices)
    owner = forms.CharField(
        label=_("Eigenaar"),
        max_length=200,
        required=False,
        help_text=_("Wie trekt dit bij deze partij (naam of functie)."),
    )
    linked_codes = forms.CharField(
        label=_("Gekoppelde vragen uit het Kader"),
        max_length=300,
        required=False,
        help_text=_("Codes, gescheiden door komma's, bijvoorbeeld UV-01, CY-03."),
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
