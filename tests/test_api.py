"""/api/v1/: bearer tokens, the session, the framework export and scoped organisations."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone

from weerbaar.accounts.models import ApiToken, hash_token
from weerbaar.frameworks.export import framework_as_dict, get_framework

from .conftest import World


def token_for(email: str, *extra: str) -> str:
    out = StringIO()
    call_command("token", "create", "--email", email, *extra, stdout=out)
    return out.getvalue().strip()


def api(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_token_create_prints_a_token_that_is_stored_hashed(world: World) -> None:
    raw = token_for("bob@alfa.test")
    assert raw.startswith("wb_")
    stored = ApiToken.objects.get(user=world.bob)
    assert stored.token_hash == hash_token(raw)
    assert raw not in (stored.token_hash, stored.prefix)
    assert raw.startswith(stored.prefix)


def test_token_create_for_unknown_email_fails(db) -> None:
    with pytest.raises(CommandError, match=r"no active user with e-mail nobody@example\.test"):
        token_for("nobody@example.test")


def test_api_me_with_bearer_token(world: World) -> None:
    response = api(token_for("bob@alfa.test")).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {
        "email": "bob@alfa.test",
        "name": "Bob CISO",
        "roles": ["respondent"],
    }
    assert ApiToken.objects.get(user=world.bob).last_used_at is not None


def test_api_rejects_wrong_revoked_and_expired_tokens(world: World) -> None:
    assert api("wb_not-a-token").get("/api/v1/me").status_code == 401
    raw = token_for("bob@alfa.test")
    ApiToken.objects.filter(user=world.bob).update(revoked_at=timezone.now())
    assert api(raw).get("/api/v1/me").status_code == 401
    expired = token_for("bob@alfa.test", "--days", "1")
    ApiToken.objects.filter(token_hash=hash_token(expired)).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert api(expired).get("/api/v1/me").status_code == 401


def test_api_token_of_deactivated_user_is_refused(world: World) -> None:
    raw = token_for("bob@alfa.test")
    world.bob.is_active = False
    world.bob.save()
    assert api(raw).get("/api/v1/me").status_code == 401


def test_api_token_of_admin_without_mfa_is_refused(world: World) -> None:
    from weerbaar.organisations.models import Role

    from .factories import member

    user = member(Role.ORG_ADMIN, world.own, email="nomfa@alfa.test")
    assert api(token_for(user.email)).get("/api/v1/me").status_code == 401


def test_api_session_auth_works_for_the_browser(world: World) -> None:
    client = Client()
    client.force_login(world.bob)
    assert client.get("/api/v1/me").json()["email"] == "bob@alfa.test"


def test_api_framework_detail_is_the_cli_export(world: World) -> None:
    response = api(token_for("bob@alfa.test")).get("/api/v1/frameworks/kader-weerbare-zorg")
    assert response.status_code == 200
    out = StringIO()
    call_command("framework", "export", "kader-weerbare-zorg", stdout=out)
    assert response.json() == json.loads(out.getvalue())
    assert response.json() == framework_as_dict(get_framework("kader-weerbare-zorg"))


def test_api_framework_detail_by_version_and_unknown(world: World) -> None:
    client = api(token_for("bob@alfa.test"))
    response = client.get("/api/v1/frameworks/zorgcontinuiteit-in-balans?version=2024")
    assert len(response.json()["sections"]) == 8
    assert (
        client.get("/api/v1/frameworks/zorgcontinuiteit-in-balans?version=1999").status_code == 404
    )
    assert client.get("/api/v1/frameworks/nope").status_code == 404


def test_api_framework_list(world: World) -> None:
    data = api(token_for("bob@alfa.test")).get("/api/v1/frameworks").json()
    kader = next(fw for fw in data if fw["id"] == "kader-weerbare-zorg")
    assert kader == {
        "id": "kader-weerbare-zorg",
        "version": "2025-11",
        "kind": "questionnaire",
        "title": "Kader weerbare zorg",
        "sections": 9,
        "items": 69,
    }


def test_api_organisations_are_scoped(world: World) -> None:
    alice = api(token_for("alice@alfa.test"))
    assert [o["name"] for o in alice.get("/api/v1/organisations").json()] == ["Ziekenhuis Alfa"]
    assert alice.get(f"/api/v1/organisations/{world.own.pk}").json()["functionaries"] == [
        {"role": "ciso", "people": ["bob@alfa.test"]}
    ]
    charlie = api(token_for("charlie@beta.test"))
    assert charlie.get(f"/api/v1/organisations/{world.own.pk}").status_code == 404
    reader = api(token_for("gerrit@ghor.test"))
    assert reader.get(f"/api/v1/organisations/{world.own.pk}").status_code == 404
    assert reader.get(f"/api/v1/organisations/{world.other.pk}").status_code == 200
    assert [o["name"] for o in reader.get("/api/v1/organisations").json()] == [
        "Verpleeghuis Beta",
        "Ziekenhuis Alfa",
    ]


def test_api_openapi_schema_is_served(db) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Weerbaar API"
    assert "/api/v1/frameworks/{slug}" in schema["paths"]
    assert Client().get("/api/v1/docs").status_code == 404  # no CDN-loaded docs page


def test_healthz_ok(db) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_503_when_the_database_fails(db, monkeypatch) -> None:
    class Unreachable:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr("weerbaar.views.connection", Unreachable())
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_token_create_and_revoke_are_audited(world: World) -> None:
    from weerbaar.audit.models import AuditEvent

    raw = token_for("bob@alfa.test")
    prefix = ApiToken.objects.get(user=world.bob).prefix
    out = StringIO()
    call_command("token", "revoke", prefix, stdout=out)
    assert out.getvalue().strip() == "revoked 1 token(s)"
    assert api(raw).get("/api/v1/me").status_code == 401
    actions = list(
        AuditEvent.objects.filter(object_type="accounts.apitoken")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["api_token.create", "api_token.revoke"]
    created = AuditEvent.objects.get(action="api_token.create")
    assert created.new["user"] == "bob@alfa.test"
    assert raw not in str(created.new)


def test_demo_account_tokens_work_only_in_demo_mode(world: World, settings) -> None:
    from weerbaar.organisations.models import Role

    from .factories import member

    member(Role.RESPONDENT, world.own, email="demo@demo.weerbaar.test", is_demo=True)
    raw = token_for("demo@demo.weerbaar.test")
    assert api(raw).get("/api/v1/me").status_code == 401
    settings.DEMO_MODE = True
    assert api(raw).get("/api/v1/me").status_code == 200
