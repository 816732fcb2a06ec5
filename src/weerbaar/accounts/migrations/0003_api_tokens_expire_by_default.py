"""Every API token expires: tokens made without an end date get one, 90 days from now (a
grace period for the scripts that use them), and are refused without one from now on."""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone


def give_every_token_an_end(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + timedelta(days=90)
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_sign_in_link")]

    operations = [migrations.RunPython(give_every_token_an_end, migrations.RunPython.noop)]
