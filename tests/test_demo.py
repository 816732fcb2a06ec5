"""The demo region: enough organisations across sectors, every role, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from weerbaar.accounts.models import User
from weerbaar.assessments.models import Answer, AnswerValue, Round
from weerbaar.organisations.models import Membership, Organisation, Role

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_loads_a_region_with_organisations_every_role_and_rounds() -> None:
    output = run_demo()
    organisations = Organisation.objects.filter(region__name="Acute Zorgregio Oost (demo)")
    assert organisations.count() >= 12
    assert organisations.values("sector").distinct().count() >= 10
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    assert "coordinator@demo.weerbaar.test" in output
    assert "Password for every demo account: weerbaar-demo" in output
    assert "Demo mode is off (WEERBAAR_DEMO): demo accounts cannot sign in." in output
    assert all(User.objects.values_list("is_demo", flat=True))
    # Last year's round is established for everyone; this year's is in progress.
    last, current = Round.objects.order_by("opens_on")
    assert set(last.assessments.values_list("state", flat=True)) == {"vastgesteld"}
    assert last.assessments.count() == organisations.count()
    states = set(current.assessments.values_list("state", flat=True))
    assert states == {"concept", "ingediend"}
    assert Answer.objects.filter(assessment__round=current, carried_over=True).exists()
    assert Answer.objects.filter(assessment__round=current, carried_over=False).exists()
    levels = set(
        AnswerValue.objects.filter(
            answer__assessment__round=last, part__type="maturity"
        ).values_list("maturity", flat=True)
    )
    assert {"0", "1", "2", "3", "4", "unknown"} <= levels  # realistic variation
    # Running it again changes nothing.
    counts = (User.objects.count(), Organisation.objects.count(), Answer.objects.count())
    assert "Demo rounds loaded" not in run_demo()
    assert (User.objects.count(), Organisation.objects.count(), Answer.objects.count()) == counts


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
