"""The dependencies models, taken over from insights (0012) with their tables: nothing in the
database changes."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("insights", "0012_models_move_to_their_own_apps"),
        ("organisations", "0003_region_min_group_size_at_least_two"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Dependency",
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
                            "category",
                            models.CharField(
                                choices=[
                                    ("brandstof", "Brandstof (diesel voor noodstroom)"),
                                    ("medische_gassen", "Medische gassen / zuurstof"),
                                    ("geneesmiddelen", "Geneesmiddelengroothandel"),
                                    ("bloedproducten", "Bloedproducten"),
                                    ("it_epd", "IT / EPD-leverancier"),
                                    ("cloud", "Cloud"),
                                    ("logistiek", "Logistiek centrum"),
                                    ("water", "Water"),
                                    ("noodcommunicatie", "Noodcommunicatie"),
                                ],
                                max_length=20,
                                verbose_name="categorie",
                            ),
                        ),
                        ("supplier", models.CharField(max_length=200, verbose_name="leverancier")),
                        (
                            "supplier_key",
                            models.CharField(db_index=True, editable=False, max_length=200),
                        ),
                        (
                            "origin",
                            models.CharField(
                                choices=[
                                    ("nl", "Nederland"),
                                    ("europa", "Elders in Europa (EU/EER)"),
                                    ("buiten_europa", "Buiten Europa"),
                                    ("onbekend", "Onbekend"),
                                ],
                                default="onbekend",
                                help_text="Waar de leverancier (of het moederbedrijf) gevestigd is.",
                                max_length=16,
                                verbose_name="herkomst",
                            ),
                        ),
                        (
                            "alternative",
                            models.CharField(
                                blank=True,
                                help_text="Een tweede leverancier of wat u doet als deze uitvalt; leeg als er geen is.",
                                max_length=300,
                                verbose_name="uitwijkmogelijkheid",
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="toelichting")),
                        ("version", models.PositiveIntegerField(default=1)),
                        (
                            "updated_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="gewijzigd"
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="dependencies",
                                to="organisations.organisation",
                                verbose_name="organisatie",
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
                        "verbose_name": "afhankelijkheid",
                        "verbose_name_plural": "afhankelijkheden",
                        "db_table": "insights_dependency",
                        "ordering": ("organisation", "category", "supplier"),
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("organisation", "category", "supplier_key"),
                                name="dependency_unique_supplier",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
