"""The disclosure models, taken over from insights (0012) with their tables: nothing in the
database changes."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("insights", "0012_models_move_to_their_own_apps"),
        ("assessments", "0004_round_state_and_opening"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CapacityRelease",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "released_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="vrijgegeven op"
                            ),
                        ),
                        (
                            "figures",
                            models.JSONField(
                                help_text="The rows as readers see them, withheld cells empty."
                            ),
                        ),
                        (
                            "contributors",
                            models.JSONField(
                                help_text="Per sector and answer part, the organisations whose figures are in it (a record of what was released)."
                            ),
                        ),
                        (
                            "released_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "round",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="capacity_releases",
                                to="assessments.round",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "vrijgave capaciteit",
                        "verbose_name_plural": "vrijgaven capaciteit",
                        "db_table": "insights_capacityrelease",
                        "ordering": ("-released_at", "-pk"),
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("round",), name="capacity_release_once_per_round"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
