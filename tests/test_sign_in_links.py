"""One-time sign-in links for respondents."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.accounts.models import SignInLink
from weerbaar.audit.models import AuditEvent

from .conftest import World


def invite(world: World, user_pk: int, client: Client | None = None):
    client = client or Client()
    client.force_login(world.alice)
    return client.post(reverse("organisations:invite", args=[world.own.pk, user_pk]))


def link_from_mail() -> str:
    match = re.search(r"https?://[^/\s]+(/aanmelden/[^/\s]+/)", mail.outbox[-1].body)
    assert match is not None
    return match.group(1)


def test_admin_sends_a_link_and_the_respondent_signs_in_once(world: World) -> None:
    response = invite(world, world.bob.pk)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["bob@alfa.test"]]
    assert mail.outbox[0].subject == "Uw vragen in Weerbaar"
    assert "Ziekenhuis Alfa" in mail.outbox[0].body
    url = link_from_mail()
    assert SignInLink.objects.get().token_hash not in mail.outbox[0].body

    bob = Client()
    assert bob.get(url).status_code == 200  # a button; opening the link does not use it up
    assert bob.get(reverse("home")).status_code == 302
    response = bob.post(url)
    assert response["Location"] == reverse("assessments:mine")
    assert bob.get(reverse("home")).context["user"] == world.bob
    assert Client().post(url).status_code == 410  # used up
    assert list(
        AuditEvent.objects.filter(action__startswith="sign_in_link")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == ["sign_in_link.send", "sign_in_link.use"]


def test_expired_link_is_refused(world: World) -> None:
    invite(world, world.bob.pk)
    link = SignInLink.objects.get()
    link.expires_at = timezone.now() - timedelta(minutes=1)
    link.save()
    response = Client().post(link_from_mail())
    assert response.status_code == 410
    assert "al gebruikt of verlopen" in response.content.decode()


def test_a_new_link_replaces_the_old_one(world: World) -> None:
    invite(world, world.bob.pk)
    first = link_from_mail()
    invite(world, world.bob.pk)
    assert Client().post(first).status_code == 410
    assert Client().post(link_from_mail()).status_code == 302


def test_no_links_for_people_who_need_mfa(world: World) -> None:
    response = invite(world, world.alice.pk)
    assert response.status_code == 302
    assert mail.outbox == []
    assert not SignInLink.objects.exists()


def test_invites_only_for_own_members_and_by_admins(world: World) -> None:
    assert invite(world, world.charlie.pk).status_code == 404
    charlie = Client()
    charlie.force_login(world.charlie)
    assert (
        charlie.post(reverse("organisations:invite", args=[world.own.pk, world.bob.pk])).status_code
        == 404
    )
    bob = Client()
    bob.force_login(world.bob)
    assert (
        bob.post(reverse("organisations:invite", args=[world.own.pk, world.bob.pk])).status_code
        == 404
    )
    assert mail.outbox == []


def test_garbage_link_is_refused(db) -> None:
    assert Client().post("/aanmelden/not-a-token/").status_code == 410
