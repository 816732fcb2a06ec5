from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import User


class FunctionariesForm(forms.Form):
    """One multiple-choice field per responsible role: who answers its questions."""

    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, roles: list[tuple[str, str]], people: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.roles = roles
        for key, label in roles:
            self.fields[f"role_{key}"] = forms.ModelMultipleChoiceField(
                queryset=people,
                required=False,
                label=label,
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "invalid_choice": _("Kies alleen collega's van deze organisatie."),
                    "invalid_pk_value": _("Kies alleen collega's van deze organisatie."),
                },
            )

    def mapping(self) -> dict[str, list[User]]:
        return {key: list(self.cleaned_data[f"role_{key}"]) for key, _label in self.roles}
