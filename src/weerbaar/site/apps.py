from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The project as a whole: navigation across the apps and the demo region they load."""

    name = "weerbaar.site"
    label = "weerbaar_site"
    verbose_name = _("Weerbaar")
