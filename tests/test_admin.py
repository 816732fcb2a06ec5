"""/beheer/ for coordinators: only their region, no escalation, every change audited."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from weerbaar.accounts.models import User
from weerbaar.audit.admin_mixins import fingerprint
from weerbaar.audit.models import AuditEvent
from weerbaar.organisations.models import Functionary, Location, Membership, Role

from .conftest import World
from .factories import PASSWORD, UserFactory, member


def loaded_state(client: Client, url: str) -> str:
    """The fingerprint a change form carries, as a person opening it would get it."""
    return client.get(url).context["adminform"].form.initial["loaded_state"]


def coordinator_client(world: World) -> Client:
    client = Client()
    client.force_login(world.coordinator)
    return client


def test_coordinator_cannot_open_or_change_a_superuser(world: World) -> None:
    root = UserFactory(email="root@platform.test", is_staff=True, is_superuser=True)
    member(Role.ORG_ADMIN, world.own, email="x@alfa.test")  # the region has people
    client = coordinator_client(world)
    assert (
        "root@platform.test"
        not in client.get(reverse("admin:accounts_user_changelist")).content.decode()
    )
    change = client.get(reverse("admin:accounts_user_change", args=[root.pk]))
    assert change.status_code == 302  # "does not exist" → back to the index
    password = (
        reverse("admin:auth_user_password_change", args=[root.pk])
        if False
        else (f"/beheer/accounts/user/{root.pk}/password/")
    )
    response = client.post(
        password, {"password1": "Nieuw-wachtwoord-123!", "password2": "Nieuw-wachtwoord-123!"}
    )
    assert response.status_code == 404
    root.refresh_from_db()
    assert root.check_password(PASSWORD)


def test_coordinator_cannot_attach_a_superuser_or_foreign_user_to_their_region(
    world: World,
) -> None:
    root = UserFactory(email="root@platform.test", is_staff=True, is_superuser=True)
    client = coordinator_client(world)
    for person in (root, world.outsider):
        response = client.post(
            reverse("admin:organisations_membership_add"),
            {
                "user": person.pk,
                "region": world.own.region_id,
                "organisation": world.own.pk,
                "role": "org_admin",
            },
        )
        assert response.status_code == 200  # the form again, with an error
        assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Membership.objects.filter(
        user__in=[root, world.outsider], organisation=world.own
    ).exists()


def test_coordinator_cannot_change_people_of_another_region(world: World) -> None:
    client = coordinator_client(world)
    response = client.get(reverse("admin:accounts_user_change", args=[world.outsider.pk]))
    assert response.status_code == 302
    assert (
        "olga@west.test"
        not in client.get(reverse("admin:accounts_user_changelist")).content.decode()
    )


def test_coordinator_cannot_grant_staff_or_superuser(world: World) -> None:
    client = coordinator_client(world)
    url = reverse("admin:accounts_user_change", args=[world.bob.pk])
    form = client.get(url).context["adminform"].form
    assert {"is_staff", "is_superuser"} <= set(client.get(url).context["adminform"].readonly_fields)
    data = {
        "email": "bob@alfa.test",
        "full_name": "Bob CISO",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "loaded_state": loaded_state(client, url),
    }
    assert form is not None
    assert client.post(url, data).status_code == 302  # saved, but not those two
    world.bob.refresh_from_db()
    assert (world.bob.is_staff, world.bob.is_superuser) == (False, False)


def test_coordinator_creates_a_person_with_a_membership(world: World) -> None:
    client = coordinator_client(world)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "nieuw@alfa.test",
            "full_name": "Nina Nieuw",
            "password1": "Een-lang-wachtwoord-2026",
            "password2": "Een-lang-wachtwoord-2026",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "1",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-region": world.own.region_id,
            "memberships-0-organisation": world.own.pk,
            "memberships-0-role": "respondent",
            "memberships-0-job_title": "HR-adviseur",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person = User.objects.get(email="nieuw@alfa.test")
    assert list(person.memberships.values_list("organisation__name", "role")) == [
        ("Ziekenhuis Alfa", "respondent")
    ]
    actions = sorted(
        AuditEvent.objects.filter(actor=world.coordinator).values_list("action", "object_type")
    )
    assert actions == [("admin.add", "accounts.user"), ("admin.add", "organisations.membership")]
    assert "password" not in str(AuditEvent.objects.get(object_type="accounts.user").new)


def test_functionary_admin_is_scoped_and_requires_membership(world: World) -> None:
    client = coordinator_client(world)
    page = client.get(reverse("admin:organisations_functionary_add")).content.decode()
    assert "Ziekenhuis West" not in page
    assert "olga@west.test" not in page
    response = client.post(
        reverse("admin:organisations_functionary_add"),
        {"organisation": world.own.pk, "role_key": "hr", "user": world.charlie.pk},
    )
    assert "Deze persoon hoort niet bij de organisatie." in response.content.decode()
    response = client.post(
        reverse("admin:organisations_functionary_add"),
        {"organisation": world.foreign.pk, "role_key": "hr", "user": world.bob.pk},
    )
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Functionary.objects.filter(role_key="hr").exists()


def test_coordinator_who_is_also_org_admin_elsewhere_cannot_edit_that_org_in_admin(
    world: World,
) -> None:
    member_of_west = Membership.objects.create(
        user=world.coordinator,
        region=world.foreign.region,
        organisation=world.foreign,
        role=Role.ORG_ADMIN,
    )
    assert member_of_west.pk
    client = coordinator_client(world)
    assert (
        client.get(
            reverse("admin:organisations_organisation_change", args=[world.foreign.pk])
        ).status_code
        == 302
    )


def test_location_inline_changes_are_audited(world: World) -> None:
    client = coordinator_client(world)
    url = reverse("admin:organisations_organisation_change", args=[world.own.pk])
    response = client.post(
        url,
        {
            "name": "Ziekenhuis Alfa",
            "sector": "ziekenhuis",
            "region": world.own.region_id,
            "is_active": "on",
            "kvk_number": "",
            "locations-TOTAL_FORMS": "1",
            "locations-INITIAL_FORMS": "0",
            "locations-0-name": "Alfa Noord",
            "locations-0-city": "Kampen",
            "locations-0-address": "",
            "locations-0-postcode": "",
            "locations-0-beds": "",
            "loaded_state": loaded_state(client, url),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Location.objects.get(organisation=world.own).name == "Alfa Noord"
    event = AuditEvent.objects.get(object_type="organisations.location")
    assert (event.action, event.organisation, event.new["name"]) == (
        "admin.add",
        world.own,
        "Alfa Noord",
    )
    # The organisation itself did not change: no empty record for it.
    assert not AuditEvent.objects.filter(object_type="organisations.organisation").exists()


def test_revoked_tokens_cannot_be_revived_in_admin(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("token", "create", "--email", "coby@azo.test", stdout=out)
    client = coordinator_client(world)
    changelist = reverse("admin:accounts_apitoken_changelist")
    token_pk = world.coordinator.api_tokens.get().pk
    client.post(changelist, {"action": "revoke_tokens", "_selected_action": [token_pk]})
    token = world.coordinator.api_tokens.get()
    assert token.revoked_at is not None
    form = client.get(reverse("admin:accounts_apitoken_change", args=[token_pk])).context[
        "adminform"
    ]
    assert "revoked_at" in form.readonly_fields


def test_a_norm_changed_meanwhile_is_not_overwritten(world: World) -> None:
    """Two coordinators open the same norm; the second to save is told, and loses nothing
    of the first's change."""
    from decimal import Decimal

    from weerbaar.scoring.models import Norm

    norm = Norm.objects.create(
        region=world.own.region, norm_key="noodstroom_uren", minimum=Decimal(72), source="ROAZ"
    )
    norm = Norm.objects.get(pk=norm.pk)  # as stored (72.000)
    url = reverse("admin:scoring_norm_change", args=[norm.pk])
    first, second = coordinator_client(world), coordinator_client(world)
    opened = first.get(url).context["adminform"].form
    assert opened.initial["loaded_state"] == fingerprint(norm)
    fields = {"region": world.own.region_id, "norm_key": "noodstroom_uren"}
    assert (
        second.post(
            url,
            {**fields, "minimum": "96", "source": "ROAZ 2026", "loaded_state": fingerprint(norm)},
        ).status_code
        == 302
    )
    stale = first.post(
        url,
        {
            **fields,
            "minimum": "48",
            "source": "ROAZ",
            "loaded_state": opened.initial["loaded_state"],
        },
    )
    assert stale.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in stale.content.decode()
    norm.refresh_from_db()
    assert (norm.minimum, norm.source) == (Decimal(96), "ROAZ 2026")
    assert AuditEvent.objects.filter(object_type="scoring.norm", action="admin.change").count() == 1


def test_a_membership_changed_meanwhile_is_not_overwritten_by_the_person_form(
    world: World,
) -> None:
    """The person form carries its memberships inline: a role changed elsewhere in between
    is not silently put back."""
    url = reverse("admin:accounts_user_change", args=[world.bob.pk])
    first = coordinator_client(world)
    opened = loaded_state(first, url)
    membership = Membership.objects.get(user=world.bob)
    Membership.objects.filter(pk=membership.pk).update(role=Role.ORG_ADMIN)  # someone else
    response = first.post(
        url,
        {
            "email": "bob@alfa.test",
            "full_name": "Bob de CISO",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": membership.pk,
            "memberships-0-user": world.bob.pk,
            "memberships-0-role": Role.RESPONDENT,
            "memberships-0-organisation": world.own.pk,
            "memberships-0-region": world.own.region_id,
            "memberships-0-job_title": "",
            "loaded_state": opened,
        },
    )
    assert response.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).role == Role.ORG_ADMIN
    assert User.objects.get(pk=world.bob.pk).full_name == "Bob CISO"


def test_signing_in_meanwhile_is_not_a_conflict(world: World) -> None:
    url = reverse("admin:accounts_user_change", args=[world.bob.pk])
    client = coordinator_client(world)
    opened = loaded_state(client, url)
    Client().force_login(world.bob)  # Bob signs in: last_login changes
    response = client.post(
        url,
        {
            "email": "bob@alfa.test",
            "full_name": "Bob de CISO",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "loaded_state": opened,
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=world.bob.pk).full_name == "Bob de CISO"


def test_the_minimum_group_size_cannot_be_set_below_two(world: World) -> None:
    client = coordinator_client(world)
    url = reverse("admin:organisations_region_change", args=[world.own.region_id])
    response = client.post(
        url,
        {
            "name": world.own.region.name,
            "code": world.own.region.code,
            "min_group_size": "1",
            "loaded_state": loaded_state(client, url),
        },
    )
    assert response.status_code == 200
    assert "Zorg ervoor dat deze waarde minstens 2 is." in response.content.decode()
    world.own.region.refresh_from_db()
    assert world.own.region.min_group_size == 3
