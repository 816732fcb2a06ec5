from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisConfig(AppConfig):
    """The warme fase: incidents with live action cards and their logbook."""

    name = "weerbaar.crisis"
    verbose_name = _("Crisis")
