"""The form of an improvement action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import User
from weerbaar.ids import IdChoiceField
from weerbaar.plan.models import ActionStatus


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
