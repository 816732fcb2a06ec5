from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from weerbaar.accounts.models import User
from weerbaar.ids import IdMultipleChoiceField


class FunctionariesForm(forms.Form):
    """One multiple-choice field per responsible role: who answers its questions."""

    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        roles: list[tuple[str, str]],
        people: Any,
        counts: dict[str, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.roles = roles
        for key, label in roles:
            self.fields[f"role_{key}"] = IdMultipleChoiceField(
                queryset=people,
                required=False,
                label=label,
                help_text=ngettext("%(count)d vraag", "%(count)d vragen", n) % {"count": n}
                if (n := (counts or {}).get(key, 0))
                else _("geen vragen voor deze sector"),
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "invalid_choice": _("Kies alleen collega's van deze organisatie."),
                    "invalid_pk_value": _("Kies alleen collega's van deze organisatie."),
                },
            )

    def mapping(self) -> dict[str, list[User]]:
        return {key: list(self.cleaned_data[f"role_{key}"]) for key, _label in self.roles}
