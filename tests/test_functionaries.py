"""Mapping the framework's responsible roles to people, with an audit trail."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from weerbaar.audit.models import AuditEvent
from weerbaar.organisations.models import Functionary, Role
from weerbaar.organisations.services import mapping_version

from .conftest import World
from .factories import member


def url(world: World) -> str:
    return reverse("organisations:functionaries", args=[world.own.pk])


def test_functionaries_page_lists_the_framework_roles(world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    page = client.get(url(world)).content.decode()
    for label in ("HR", "Manager facilitair", "Traumachirurg", "Capaciteitsmanager"):
        assert f"<legend>{label}<span" in page
    # Each role says how many questions it answers for this (hospital) organisation.
    assert '<legend>CISO<span class="role-count">10 vragen</span></legend>' in page
    assert "Bob CISO" in page


def test_functionaries_counts_follow_the_sector(world: World) -> None:
    client = Client()
    client.force_login(world.charlie)  # a nursing home: no trauma surgeon questions
    page = client.get(
        reverse("organisations:functionaries", args=[world.other.pk])
    ).content.decode()
    assert (
        '<legend>Traumachirurg<span class="role-count">geen vragen voor deze sector</span>' in page
    )


def test_functionaries_saves_the_mapping_and_audits_it(world: World) -> None:
    hr = member(Role.RESPONDENT, world.own, email="hanna@alfa.test", full_name="Hanna HR")
    client = Client()
    client.force_login(world.alice)
    response = client.post(
        url(world),
        {"version": mapping_version(world.own), "role_hr": [hr.pk], "role_ciso": [world.bob.pk]},
    )
    assert response.status_code == 302
    assert sorted(
        Functionary.objects.filter(organisation=world.own).values_list("role_key", "user__email")
    ) == [("ciso", "bob@alfa.test"), ("hr", "hanna@alfa.test")]
    event = AuditEvent.objects.get(action="functionaries.set")
    assert (event.actor, event.organisation) == (world.alice, world.own)
    assert event.old == {"role": "hr", "users": []}
    assert event.new == {"role": "hr", "users": ["hanna@alfa.test"]}


def test_functionaries_removing_someone_moves_them_out(world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    client.post(url(world), {"version": mapping_version(world.own)})  # nobody for any role
    assert not Functionary.objects.filter(organisation=world.own).exists()
    event = AuditEvent.objects.get(action="functionaries.set")
    assert event.old == {"role": "ciso", "users": ["bob@alfa.test"]}
    assert event.new == {"role": "ciso", "users": []}


def test_functionaries_refuses_people_of_another_organisation(world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    response = client.post(
        url(world),
        {
            "version": mapping_version(world.own),
            "role_hr": [world.charlie.pk],
            "role_ciso": [world.bob.pk],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Niet opgeslagen: controleer de gemarkeerde rollen." in page
    assert "Kies alleen collega&#x27;s van deze organisatie." in page
    # nothing half-saved
    assert list(
        Functionary.objects.filter(organisation=world.own).values_list("role_key", flat=True)
    ) == ["ciso"]
    assert not AuditEvent.objects.filter(action="functionaries.set").exists()


def test_functionaries_of_another_organisation_is_404(world: World) -> None:
    client = Client()
    client.force_login(world.charlie)
    response = client.post(
        url(world), {"version": mapping_version(world.own), "role_hr": [world.charlie.pk]}
    )
    assert response.status_code == 404
    assert not Functionary.objects.filter(user=world.charlie).exists()


def test_functionaries_respondent_cannot_change_the_mapping(world: World) -> None:
    client = Client()
    client.force_login(world.bob)
    assert (
        client.post(
            url(world), {"version": mapping_version(world.own), "role_hr": [world.bob.pk]}
        ).status_code
        == 404
    )
    assert not Functionary.objects.filter(role_key="hr").exists()


def test_coordinator_can_map_functionaries_of_their_region(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    response = client.post(
        url(world),
        {"version": mapping_version(world.own), "role_ciso": [world.bob.pk, world.alice.pk]},
    )
    assert response.status_code == 302
    assert Functionary.objects.filter(role_key="ciso").count() == 2
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.get(url(world)).status_code == 404


def test_admin_changes_are_audited_with_old_and_new(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    change = reverse("admin:organisations_organisation_change", args=[world.own.pk])
    form = client.get(change).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "name": "Ziekenhuis Alfa-Omega",
            "region": world.own.region_id,
            "shares_with_region_readers": "",
            "is_active": "on",
            "locations-TOTAL_FORMS": "0",
            "locations-INITIAL_FORMS": "0",
        }
    )
    data.pop("shares_with_region_readers")
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="admin.change")
    assert event.old == {"name": "Ziekenhuis Alfa"}
    assert event.new == {"name": "Ziekenhuis Alfa-Omega"}
    assert event.actor == world.coordinator


def test_admin_organisation_of_another_region_is_not_found(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    change = reverse("admin:organisations_organisation_change", args=[world.foreign.pk])
    response = client.get(change)
    assert response.status_code == 302  # the admin redirects a missing object to its index
    assert "Ziekenhuis West" not in client.get(response["Location"]).content.decode()


def test_functionaries_concurrent_edit_is_detected_not_overwritten(world: World) -> None:
    hr = member(Role.RESPONDENT, world.own, email="hanna@alfa.test", full_name="Hanna HR")
    alice = Client()
    alice.force_login(world.alice)
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    # Both open the form; it carries the version of the mapping they saw.
    version_input = f'name="version" value="{mapping_version(world.own)}"'
    assert version_input in alice.get(url(world)).content.decode()
    assert version_input in coordinator.get(url(world)).content.decode()
    seen_by_alice = seen_by_coordinator = mapping_version(world.own)

    first = coordinator.post(
        url(world),
        {"version": seen_by_coordinator, "role_hr": [hr.pk], "role_ciso": [world.bob.pk]},
    )
    assert first.status_code == 302
    second = alice.post(url(world), {"version": seen_by_alice, "role_ciso": [world.alice.pk]})
    assert second.status_code == 302
    assert second["Location"] == url(world)
    page = alice.get(url(world)).content.decode()
    assert "iemand anders heeft de functionarissen intussen gewijzigd" in page
    # The coordinator's change stands; Alice's stale form changed nothing.
    assert sorted(
        Functionary.objects.filter(organisation=world.own).values_list("role_key", "user__email")
    ) == [("ciso", "bob@alfa.test"), ("hr", "hanna@alfa.test")]


def test_functionaries_missing_version_is_refused(world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    response = client.post(url(world), {"role_ciso": [world.alice.pk]})
    assert response.status_code == 400
    assert Functionary.objects.get(organisation=world.own).user == world.bob
