"""The one access layer: who sees which organisation, and nothing leaks."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from weerbaar.organisations import access
from weerbaar.organisations.access import Level
from weerbaar.organisations.models import Functionary, Location

from .conftest import World
from .factories import LocationFactory


def names(user, level: Level) -> list[str]:
    return sorted(access.organisations_for(user, level).values_list("name", flat=True))


def test_access_coordinator_sees_every_organisation_of_their_region_only(world: World) -> None:
    expected = ["Verpleeghuis Beta", "Ziekenhuis Alfa"]
    assert names(world.coordinator, Level.LIST) == expected
    assert names(world.coordinator, Level.DETAIL) == expected
    assert names(world.coordinator, Level.MANAGE) == expected


def test_access_region_reader_sees_details_only_of_sharing_organisations(world: World) -> None:
    assert names(world.reader, Level.LIST) == ["Verpleeghuis Beta", "Ziekenhuis Alfa"]
    assert names(world.reader, Level.DETAIL) == ["Verpleeghuis Beta"]
    assert names(world.reader, Level.MANAGE) == []


def test_access_org_admin_sees_only_their_own_organisation(world: World) -> None:
    for level in Level:
        assert names(world.alice, level) == ["Ziekenhuis Alfa"]
        assert names(world.charlie, level) == ["Verpleeghuis Beta"]
        assert names(world.outsider, level) == ["Ziekenhuis West"]


def test_access_respondent_has_no_organisation_access(world: World) -> None:
    for level in Level:
        assert names(world.bob, level) == []


def test_access_inactive_user_sees_nothing(world: World) -> None:
    world.coordinator.is_active = False
    world.coordinator.save()
    assert names(world.coordinator, Level.LIST) == []


def test_access_get_organisation_raises_404_for_another_organisation(world: World) -> None:
    assert access.get_organisation(world.alice, world.own.pk) == world.own
    with pytest.raises(Http404):
        access.get_organisation(world.charlie, world.own.pk)
    with pytest.raises(Http404):
        access.get_organisation(world.alice, "not-a-number")


def test_access_scope_filters_organisation_owned_rows(world: World) -> None:
    LocationFactory(organisation=world.own, name="Alfa Noord")
    LocationFactory(organisation=world.other, name="Beta Zuid")
    scoped = access.scope(Location.objects.all(), world.charlie)
    assert list(scoped.values_list("name", flat=True)) == ["Beta Zuid"]
    with pytest.raises(Http404):
        access.get_scoped(Location.objects.all(), world.charlie, name="Alfa Noord")


def test_organisation_page_shows_people_to_its_admin_and_404_to_others(world: World) -> None:
    LocationFactory(organisation=world.own, name="Alfa Noord", city="Kampen")
    url = reverse("organisations:detail", args=[world.own.pk])
    alice = Client()
    alice.force_login(world.alice)
    page = alice.get(url).content.decode()
    assert "bob@alfa.test" in page
    assert "Alfa Noord" in page

    charlie = Client()
    charlie.force_login(world.charlie)
    response = charlie.get(url)
    assert response.status_code == 404
    assert "bob@alfa.test" not in response.content.decode()
    assert "Alfa Noord" not in response.content.decode()


def test_organisation_list_does_not_link_unshared_organisations_for_readers(world: World) -> None:
    client = Client()
    client.force_login(world.reader)
    page = client.get(reverse("organisations:list")).content.decode()
    assert reverse("organisations:detail", args=[world.other.pk]) in page
    assert reverse("organisations:detail", args=[world.own.pk]) not in page
    assert "Ziekenhuis Alfa" in page
    assert "Ziekenhuis West" not in page


def test_respondent_home_shows_only_their_routed_questions(world: World) -> None:
    client = Client()
    client.force_login(world.bob)
    page = client.get(reverse("home")).content.decode()
    assert "Voldoet de organisatie aan de NIS2?" in page  # CY-01, for the CISO
    assert "Hoe lang kan de organisatie draaien op noodstroom" not in page  # facilitair
    assert "alice@alfa.test" not in page
    # No link to the organisation's page; the crisis team's incidents are theirs to open.
    assert f'href="{reverse("organisations:detail", args=[world.own.pk])}"' not in page
    assert f'href="{reverse("crisis:incidents", args=[world.own.pk])}"' in page


def test_respondent_questions_follow_the_sector(world: World) -> None:
    # A CISO at a nursing home gets the cybersecurity questions; a capacity manager at a
    # nursing home does not get the hospital-only bed questions.
    from weerbaar.organisations.models import Role

    from .factories import functionary, member

    bed_question = "Welke bedden capaciteit kan de organisatie leveren"
    nursing_home = member(Role.RESPONDENT, world.other, email="kim@beta.test")
    functionary(world.other, "capaciteitsmanager", nursing_home)
    hospital = member(Role.RESPONDENT, world.own, email="kees@alfa.test")
    functionary(world.own, "capaciteitsmanager", hospital)
    assert Functionary.objects.filter(role_key="capaciteitsmanager").count() == 2

    client = Client()
    client.force_login(hospital)
    assert bed_question in client.get(reverse("home")).content.decode()
    client.force_login(nursing_home)
    assert bed_question not in client.get(reverse("home")).content.decode()


# --- The scoped path is the only path from views and the API --------------------------------

SCOPERS = {"scope", "get_scoped"}
"""Access-layer functions that take an unscoped queryset as their first argument."""


def _owned_models() -> set[str]:
    """Every model whose rows belong to an organisation (it names the way to it)."""
    from django.apps import apps

    return {
        model.__name__
        for model in apps.get_models()
        if hasattr(model, "ORGANISATION_PATH") and model.__module__.startswith("weerbaar.")
    }


def _request_modules() -> list:
    """Modules that answer requests: every app's views and the API."""
    from pathlib import Path

    import weerbaar

    root = Path(weerbaar.__file__).parent
    found = [
        path
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        and (
            path.name in {"views.py", "round_views.py"}
            or "views" in path.parts
            or path.parent.name == "api"
        )
    ]
    assert len(found) > 10  # the search itself works
    return sorted(found)


def unscoped_queries(source: str, owned: set[str]) -> list[tuple[int, str]]:
    """(line, expression) of every query on an owned model that is neither narrowed by
    ``.for_user(…)`` nor handed to the access layer, unless its statement says
    ``# scoped: <why>``."""
    import ast

    tree = ast.parse(source)
    lines = source.splitlines()
    parent: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parent[child] = node
    found = []
    for node in ast.walk(tree):
        direct_404 = (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) == "get_object_or_404"
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in owned
        )
        manager = (
            isinstance(node, ast.Attribute)
            and node.attr in ("objects", "all_objects")
            and isinstance(node.value, ast.Name)
            and node.value.id in owned
        )
        if not (manager or direct_404):
            continue
        chain, top = [], node
        while manager and top in parent:
            up = parent[top]
            if isinstance(up, ast.Attribute) and up.value is top:
                chain.append(up.attr)
            elif not (isinstance(up, ast.Call) and up.func is top):
                break
            top = up
        holder = parent.get(top)
        handed = (
            isinstance(holder, ast.Call)
            and holder.args[:1] == [top]
            and getattr(holder.func, "id", getattr(holder.func, "attr", "")) in SCOPERS
        )
        statement = node
        while not isinstance(statement, ast.stmt):
            statement = parent[statement]
        text = "\n".join(lines[statement.lineno - 1 : statement.end_lineno])
        explained = "# scoped: " in text
        if "for_user" not in chain and not handed and not explained:
            found.append((node.lineno, ast.unparse(top)))
    return found


def test_views_and_the_api_query_organisation_data_only_through_the_access_layer() -> None:
    owned = _owned_models()
    assert {"Assessment", "Answer", "ImprovementAction", "Dependency", "Location"} <= owned
    problems = [
        f"{path.name}:{line}: {expression}"
        for path in _request_modules()
        for line, expression in unscoped_queries(path.read_text(), owned)
    ]
    assert problems == []


def test_the_scan_finds_an_unscoped_query_and_accepts_the_scoped_ones() -> None:
    owned = {"Assessment", "Dependency"}
    source = "\n".join(
        [
            "a = Assessment.objects.filter(pk=1).first()",  # 1: unscoped
            "b = Assessment.objects.for_user(user, Level.DETAIL).filter(pk=1)",
            "c = access.get_scoped(Dependency.objects.all(), user, pk=1)",
            "d = get_object_or_404(Dependency, pk=1)",  # 4: unscoped
            "e = Dependency.objects.get(pk=1)  # scoped: checked by the caller",
            "f = access.scope(Assessment.all_objects.all(), user)",
            "g = sorted(Dependency.objects.all())",  # 7: handed to something else
        ]
    )
    assert sorted(line for line, _ in unscoped_queries(source, owned)) == [1, 4, 7]


def test_for_user_scopes_like_the_access_layer(world: World) -> None:
    from weerbaar.assessments.models import Assessment

    from .factories import open_round

    open_round(world, world.own, world.other)
    everything = set(Assessment.objects.values_list("organisation__name", flat=True))
    assert len(everything) == 2
    for user in (world.coordinator, world.reader, world.alice, world.bob, world.outsider):
        for level in Level:
            expected = {
                organisation.name
                for organisation in access.organisations_for(user, level)
                if access.sees_drafts(user, organisation)  # every assessment is a concept
            }
            seen = Assessment.objects.for_user(user, level).values_list(
                "organisation__name", flat=True
            )
            assert set(seen) == expected & everything, (user, level)
            locations = {
                location.organisation.name for location in Location.objects.for_user(user, level)
            }
            assert locations <= set(
                access.organisations_for(user, level).values_list("name", flat=True)
            ), (user, level)
    assert set(Location.objects.for_user(world.outsider)) == set()
