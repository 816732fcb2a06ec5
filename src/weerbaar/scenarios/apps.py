from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScenariosConfig(AppConfig):
    """Scenario stress tests: who runs out of what, when — for the whole care chain."""

    name = "weerbaar.scenarios"
    verbose_name = _("Scenario's")
