"""Reachability: an organisation keeps and confirms its 24/7 crisis contacts; the region sees
who lacks a key function or has not confirmed in time, and reaches everyone from one page."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.crisis import contacts as domain
from weerbaar.crisis.models import CrisisContact
from weerbaar.crisis.status import ReportInvalid
from weerbaar.organisations.access import NotAllowed

from .conftest import World


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def values(**given):
    data = {
        "kind": "sleutelfunctionaris",
        "function": "crisiscoordinator",
        "name": "Anna",
        "phone": "06 1234 5678",
        "always": "on",
    }
    data.update(given)
    return domain.clean_contact(data)


def test_contacts_are_checked_in_dutch(world: World) -> None:
    with pytest.raises(ReportInvalid) as refused:
        values(phone="bel me", kind="ketenpartner", backup_phone="x")
    errors = refused.value.errors
    assert "telefoonnummer" in errors["phone"][0] and "telefoonnummer" in errors["backup_phone"][0]
    assert errors["partner"] == ["Noem de organisatie van de ketenpartner."]


def test_who_keeps_confirms_and_sees_contacts(world: World) -> None:
    for who in (world.bob, world.reader, world.charlie):
        with pytest.raises(NotAllowed):
            domain.contact_save(organisation=world.own, by=who, values=values())
    by_region = domain.contact_save(organisation=world.own, by=world.coordinator, values=values())
    assert by_region.confirmed_at is None  # the region entered it; the hospital confirms
    with pytest.raises(NotAllowed):
        domain.contacts_confirm(organisation=world.own, by=world.coordinator)
    assert domain.contacts_confirm(organisation=world.own, by=world.alice) == 1
    by_region.refresh_from_db()
    assert by_region.confirmed_by == world.alice
    own = domain.contact_save(
        organisation=world.own, by=world.alice, values=values(function="bestuurder")
    )
    assert own.confirmed_at is not None  # the admin saving it confirms it
    with pytest.raises(domain.StaleContact):
        domain.contact_save(
            organisation=world.own,
            by=world.coordinator,
            values=values(),
            contact=own,
            expected_version=0,
        )
    assert set(domain.contacts_for(world.reader)) == {by_region, own}  # the GHOR reaches them
    assert set(domain.contacts_for(world.bob)) == {by_region, own}
    assert not domain.contacts_for(world.charlie).exists()
    assert not domain.contacts_for(world.outsider).exists()


def test_the_region_sees_missing_key_functions_and_old_confirmations(world: World) -> None:
    domain.contact_save(organisation=world.own, by=world.alice, values=values())
    domain.contact_save(
        organisation=world.own, by=world.alice, values=values(function="bestuurder", always="")
    )
    old = domain.contact_save(organisation=world.own, by=world.alice, values=values(function="ict"))
    CrisisContact.objects.filter(pk=old.pk).update(
        confirmed_at=timezone.now() - datetime.timedelta(days=200)
    )
    rows = {r.organisation: r for r in domain.region_coverage(world.own.region)}
    alfa, beta = rows[world.own], rows[world.other]
    # Board is not 24/7, facilities unknown; the ICT contact is older than six months.
    assert alfa.missing == ["bestuurder", "facilitair"]
    assert [c.pk for c in alfa.unconfirmed] == [old.pk]
    assert beta.missing == ["crisiscoordinator", "bestuurder", "facilitair", "ict"]
    world.own.region.contact_confirm_months = 12
    world.own.region.save()
    rows = {r.organisation: r for r in domain.region_coverage(world.own.region)}
    assert rows[world.own].unconfirmed == []


def test_the_pages_keep_confirm_and_print(world: World) -> None:
    url = reverse("crisis:contact_new", args=[world.own.pk])
    bad = client(world.alice).post(
        url, {"kind": "sleutelfunctionaris", "function": "ict", "name": "Piet", "phone": "nee"}
    )
    assert bad.status_code == 400 and "telefoonnummer" in bad.content.decode()
    assert "Piet" in bad.content.decode() and not CrisisContact.objects.exists()
    good = client(world.alice).post(
        url,
        {
            "kind": "sleutelfunctionaris",
            "function": "ict",
            "name": "Piet",
            "phone": "038 123 4567",
            "alternative": "Satelliettelefoon 8816 1234",
            "always": "on",
        },
    )
    assert good.status_code == 302
    page = client(world.reader).get(reverse("crisis:region_contacts", args=[world.own.region_id]))
    body = page.content.decode()
    assert "038 123 4567" in body and "Satelliettelefoon" in body
    assert "geen crisiscontacten bekend" in body  # Verpleeghuis Beta
    assert "Stand van" in body  # the printed page says when
    assert (
        client(world.reader)
        .post(reverse("crisis:contacts_confirm", args=[world.own.pk]))
        .status_code
        == 403
    )


def test_the_api_keeps_and_lists_contacts(world: World) -> None:
    api = client(world.alice)
    made = api.post(
        f"/api/v1/organisations/{world.own.pk}/contacts",
        json.dumps({"name": "Anna", "phone": "06 1234 5678", "function": "bestuurder"}),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    bad = api.put(
        f"/api/v1/contacts/{made.json()['id']}",
        json.dumps({"version": 1, "name": "Anna", "phone": "nee"}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"]["phone"]
    stale = api.put(
        f"/api/v1/contacts/{made.json()['id']}",
        json.dumps({"version": 0, "name": "Anna", "phone": "06 1234 0000"}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    region = client(world.reader).get(f"/api/v1/regions/{world.own.region_id}/contacts").json()
    assert region["confirm_months"] == 6 and region["regional"] == []
    alfa = next(r for r in region["organisations"] if r["organisation"] == world.own.pk)
    assert "bestuurder" not in alfa["missing"] and alfa["contacts"][0]["name"] == "Anna"
    assert (
        client(world.charlie).get(f"/api/v1/organisations/{world.own.pk}/contacts").status_code
        == 404
    )


def test_the_region_keeps_its_own_numbers_for_everyone_in_it(world: World) -> None:
    url = reverse("crisis:region_contacts", args=[world.own.region_id])
    data = {"function": "GHOR-piket (OvD-G)", "phone": "088 123 4567", "always": "on"}
    assert client(world.reader).post(url, data).status_code == 403
    bad = client(world.coordinator).post(url, {**data, "phone": "piket"})
    assert bad.status_code == 400 and "telefoonnummer" in bad.content.decode()
    assert client(world.coordinator).post(url, data).status_code == 302
    [piket] = domain.regional_contacts(world.own.region)
    own_page = client(world.bob).get(reverse("crisis:contacts", args=[world.own.pk]))
    assert "GHOR-piket (OvD-G)" in own_page.content.decode()  # the people who call
    assert domain.sees_region_contacts(world.charlie, world.own.region)
    assert not domain.sees_region_contacts(world.outsider, world.own.region)
    remove = reverse("crisis:regional_contact_remove", args=[piket.pk])
    assert client(world.reader).post(remove).status_code == 403
    assert client(world.outsider).post(remove).status_code == 404
    assert client(world.coordinator).post(remove).status_code == 302
    assert domain.regional_contacts(world.own.region) == []


def test_a_change_by_the_region_needs_the_organisation_to_confirm_again(world: World) -> None:
    contact = domain.contact_save(organisation=world.own, by=world.alice, values=values())
    assert contact.confirmed_at is not None
    changed = domain.contact_save(
        organisation=world.own,
        by=world.coordinator,
        values=values(phone="06 8765 4321"),
        contact=contact,
        expected_version=contact.version,
    )
    assert changed.confirmed_at is None
    url = reverse("crisis:contacts_confirm", args=[world.own.pk])
    assert client(world.alice).post(url, {"contact": "abc"}).status_code == 404
    changed.refresh_from_db()
    assert changed.confirmed_at is None  # a broken id confirmed nothing
