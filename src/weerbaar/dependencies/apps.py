from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DependenciesConfig(AppConfig):
    name = "weerbaar.dependencies"
    verbose_name = _("Afhankelijkheden")
