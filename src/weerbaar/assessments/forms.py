from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.frameworks.models import Framework, FrameworkKind
from weerbaar.ids import IdChoiceField, IdMultipleChoiceField
from weerbaar.organisations.models import Organisation, Sector

from .models import ReviewComment


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    framework = IdChoiceField(
        label=_("Kader"),
        queryset=Framework.objects.filter(
            kind__in=[FrameworkKind.QUESTIONNAIRE, FrameworkKind.ACTION_CARDS]
        ).order_by("title", "-version"),
    )
    sectors = forms.MultipleChoiceField(
        label=_("Alle organisaties van deze sectoren"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = IdMultipleChoiceField(
        label=_("En/of deze organisaties"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opens_on = forms.DateField(
        label=_("Open vanaf"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    deadline = forms.DateField(
        label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    introduction = forms.CharField(
        label=_("Introductie voor de organisaties"), widget=forms.Textarea, required=False
    )
    prefill = forms.BooleanField(
        label=_("Neem de antwoorden over uit de laatste vastgestelde uitvraag van dit kader"),
        required=False,
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations  # type: ignore[attr-defined]
        self.available = organisations
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("opens_on", today)
            self.initial.setdefault("deadline", today + datetime.timedelta(days=42))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens_on, deadline = data.get("opens_on"), data.get("deadline")
        if opens_on and deadline and deadline < opens_on:
            self.add_error("deadline", _("De deadline ligt vóór de openingsdatum."))
        chosen = set(data.get("organisations") or [])
        sectors = data.get("sectors") or []
        if sectors:
            chosen |= set(self.available.filter(sector__in=sectors))
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Kies ten minste één sector of organisatie."))
        data["chosen"] = sorted(chosen, key=lambda org: org.name)
        return data


COMMENT_LIMIT = 2000


class CommentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=ReviewComment.Kind.choices)
    text = forms.CharField(
        label=_("Opmerking"),
        max_length=COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Opmerking niet geplaatst: vul een tekst in."),
            "max_length": _("Houd de opmerking korter dan %(limit_value)d tekens."),
        },
    )
