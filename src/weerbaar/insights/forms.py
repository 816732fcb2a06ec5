"""Forms of the insight screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import User
from weerbaar.ids import IdChoiceField

from .models import ActionStatus, DependencyCategory, Origin, RecommendationState


class PersonField(IdChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.email)


class ActionForm(forms.Form):
    """An improvement action; ``version`` is the version the person read."""

    title = forms.CharField(
        label=_("Actie"),
        max_length=300,
        error_messages={
            "required": _("Beschrijf de actie in een zin."),
            "max_length": _("Maximaal 300 tekens."),
        },
    )
    description = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = PersonField(
        label=_("Eigenaar"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— nog niemand —"),
        error_messages={"invalid_choice": _("Kies een collega van deze organisatie.")},
    )
    due_on = forms.DateField(
        label=_("Gereed op"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in (jjjj-mm-dd).")},
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, PersonField)
        owner.queryset = people


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
