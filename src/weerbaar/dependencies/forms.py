"""The form of a dependency (critical supplier)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.dependencies.models import DependencyCategory, Origin


class DependencyForm(forms.Form):
    """One critical supplier; ``version`` is the version the person read."""

    category = forms.ChoiceField(label=_("Categorie"), choices=DependencyCategory.choices)
    supplier = forms.CharField(
        label=_("Leverancier"),
        max_length=200,
        error_messages={
            "required": _("Vul de naam van de leverancier in."),
            "max_length": _("Maximaal 200 tekens."),
        },
    )
    origin = forms.ChoiceField(
        label=_("Herkomst"),
        choices=Origin.choices,
        help_text=_("Waar de leverancier (of het moederbedrijf) gevestigd is."),
    )
    alternative = forms.CharField(
        label=_("Uitwijkmogelijkheid"),
        max_length=300,
        required=False,
        help_text=_("Een tweede leverancier of wat u doet als deze uitvalt; leeg als er geen is."),
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
