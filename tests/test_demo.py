"""The demo region: enough organisations across sectors, every role, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from weerbaar.accounts.models import User
from weerbaar.organisations.models import Membership, Organisation, Role

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_loads_a_region_with_organisations_and_every_role() -> None:
    output = run_demo()
    organisations = Organisation.objects.filter(region__name="Acute Zorgregio Oost (demo)")
    assert organisations.count() >= 12
    assert organisations.values("sector").distinct().count() >= 10
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    assert "coordinator@demo.weerbaar.test" in output
    assert "Password for every demo account: weerbaar-demo" in output
    assert all(User.objects.values_list("is_demo", flat=True))


def test_demo_is_idempotent() -> None:
    run_demo()
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    run_demo()
    assert (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
    ) == counts


def test_demo_warns_when_demo_mode_is_off() -> None:
    assert "Demo mode is off (WEERBAAR_DEMO): demo accounts cannot sign in." in run_demo()
