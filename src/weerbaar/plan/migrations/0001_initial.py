"""The plan models, taken over from insights (0012) with their tables: nothing in the
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
        ("frameworks", "0002_step_codes_stable_across_library_loads"),
        ("organisations", "0003_region_min_group_size_at_least_two"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImprovementAction",
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
                        ("title", models.CharField(max_length=300, verbose_name="actie")),
                        ("description", models.TextField(blank=True, verbose_name="toelichting")),
                        (
                            "due_on",
                            models.DateField(blank=True, null=True, verbose_name="gereed op"),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("bezig", "In uitvoering"),
                                    ("afgerond", "Afgerond"),
                                    ("vervallen", "Vervallen"),
                                ],
                                default="open",
                                max_length=12,
                                verbose_name="status",
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1)),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="aangemaakt"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="gewijzigd"
                            ),
                        ),
                        (
                            "assessment",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="assessments.assessment",
                                verbose_name="zelfevaluatie waarin het hiaat is gevonden",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "item",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="frameworks.item",
                                verbose_name="hiaat (vraag)",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="improvement_actions",
                                to="organisations.organisation",
                                verbose_name="organisatie",
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="eigenaar",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "verbeteractie",
                        "verbose_name_plural": "verbeteracties",
                        "db_table": "insights_improvementaction",
                        "ordering": ("due_on", "pk"),
                        "indexes": [
                            models.Index(
                                fields=["organisation", "status"], name="action_org_status"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
