from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "weerbaar.insights"
    verbose_name = _("Inzicht")

    def ready(self) -> None:
        from weerbaar.assessments.signals import answers_changed, assessments_filled
        from weerbaar.organisations.models import Organisation

        from .tally import on_answers_changed, on_assessments_filled, on_organisation_saved

        answers_changed.connect(on_answers_changed, dispatch_uid="insights-tally")
        assessments_filled.connect(on_assessments_filled, dispatch_uid="insights-tally-filled")
        post_save.connect(
            on_organisation_saved, sender=Organisation, dispatch_uid="insights-sector"
        )
