from __future__ import annotations

from django import forms

from .models import PowerDependentClients


class ClientsForm(forms.ModelForm[PowerDependentClients]):
    class Meta:
        model = PowerDependentClients
        fields = ("municipality", "device", "count", "battery_hours")
