"""Norms and tallies, improvement actions, dependencies, recommendation statuses and capacity
releases move to apps of their own (scoring, plan, dependencies, recommendations,
disclosure). Their tables stay as they are: only Django's record of which app owns them
changes, here and in each app's 0001. Content types and the audit trail follow them, so that
permissions and the history of a row stay with it."""

from django.db import migrations

MOVED = {
    "norm": "scoring",
    "themetally": "scoring",
    "improvementaction": "plan",
    "dependency": "dependencies",
    "recommendationstatus": "recommendations",
    "recommendationupdate": "recommendations",
    "capacityrelease": "disclosure",
}


def follow(apps, schema_editor, forward=True):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for model, app in MOVED.items():
        old, new = ("insights", app) if forward else (app, "insights")
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
        AuditEvent.objects.filter(object_type=f"{old}.{model}").update(object_type=f"{new}.{model}")


def back(apps, schema_editor):  # type: ignore[no-untyped-def]
    follow(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0011_capacity_released_to_readers_once_per_round"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="dependency",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="dependency",
                    name="updated_by",
                ),
                migrations.RemoveField(
                    model_name="improvementaction",
                    name="assessment",
                ),
                migrations.RemoveField(
                    model_name="improvementaction",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="improvementaction",
                    name="item",
                ),
                migrations.RemoveField(
                    model_name="improvementaction",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="improvementaction",
                    name="owner",
                ),
                migrations.RemoveField(
                    model_name="improvementaction",
                    name="updated_by",
                ),
                migrations.RemoveField(
                    model_name="norm",
                    name="region",
                ),
                migrations.RemoveField(
                    model_name="norm",
                    name="updated_by",
                ),
                migrations.RemoveField(
                    model_name="recommendationstatus",
                    name="item",
                ),
                migrations.RemoveField(
                    model_name="recommendationstatus",
                    name="region",
                ),
                migrations.RemoveField(
                    model_name="recommendationstatus",
                    name="role",
                ),
                migrations.RemoveField(
                    model_name="recommendationstatus",
                    name="updated_by",
                ),
                migrations.RemoveField(
                    model_name="recommendationupdate",
                    name="status",
                ),
                migrations.RemoveField(
                    model_name="recommendationupdate",
                    name="by",
                ),
                migrations.RemoveField(
                    model_name="themetally",
                    name="assessment",
                ),
                migrations.RemoveField(
                    model_name="themetally",
                    name="section",
                ),
                migrations.DeleteModel(
                    name="CapacityRelease",
                ),
                migrations.DeleteModel(
                    name="Dependency",
                ),
                migrations.DeleteModel(
                    name="ImprovementAction",
                ),
                migrations.DeleteModel(
                    name="Norm",
                ),
                migrations.DeleteModel(
                    name="RecommendationStatus",
                ),
                migrations.DeleteModel(
                    name="RecommendationUpdate",
                ),
                migrations.DeleteModel(
                    name="ThemeTally",
                ),
            ],
        ),
        migrations.RunPython(follow, back),
    ]
