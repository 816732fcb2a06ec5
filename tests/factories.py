"""factory_boy factories for the people and organisations in tests."""

from __future__ import annotations

from typing import Any

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from weerbaar.accounts.models import User
from weerbaar.organisations.models import (
    Functionary,
    Location,
    Membership,
    Organisation,
    Region,
    Role,
    Sector,
)

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Persoon {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: Any = None) -> None:
        if create:
            instance.save()


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Regio {n}")
    code = factory.Sequence(lambda n: f"regio-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Zorgorganisatie {n}")
    sector = Sector.ZIEKENHUIS


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Locatie {n}")
    city = "Zwolle"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    region = factory.LazyAttribute(lambda m: m.organisation.region)
    role = Role.ORG_ADMIN


def member(role: Role, organisation: Organisation, **user_fields: Any) -> User:
    """A new user holding ``role`` for ``organisation`` (or its region, for region roles)."""
    user = UserFactory(**user_fields)
    region_role = role in (Role.COORDINATOR, Role.REGION_READER)
    MembershipFactory(
        user=user,
        region=organisation.region,
        organisation=None if region_role else organisation,
        role=role,
    )
    return user


def functionary(organisation: Organisation, role_key: str, user: User) -> Functionary:
    return Functionary.objects.create(organisation=organisation, role_key=role_key, user=user)


def enable_mfa(user: User) -> str:
    """Give ``user`` a TOTP authenticator; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return secret


def open_round(
    world: Any, *organisations: Organisation, title: str = "Uitvraag 2026", **dates: Any
) -> Any:
    """A round of the Kader weerbare zorg for ``organisations`` (default: Alice's), opened
    by the world's coordinator."""
    import datetime

    from weerbaar.assessments.rounds import round_open
    from weerbaar.frameworks.export import get_framework

    return round_open(
        region=world.own.region,
        framework=get_framework("kader-weerbare-zorg"),
        organisations=list(organisations) or [world.own],
        title=title,
        opens_on=dates.get("opens_on", datetime.date(2026, 11, 1)),
        deadline=dates.get("deadline", datetime.date(2026, 12, 31)),
        by=world.coordinator,
    )


def final_round(world: Any, slug: str, answers: dict[str, dict[str, Any]]) -> Any:
    """An established (vastgesteld) self-assessment of framework ``slug`` for Alice's
    organisation with ``answers`` (item code → answer data), saved as Alice saves them."""
    import datetime

    from django.utils import timezone

    from weerbaar.assessments.answering import answer_save
    from weerbaar.assessments.models import Assessment, AssessmentState
    from weerbaar.assessments.rounds import round_open
    from weerbaar.frameworks.export import get_framework
    from weerbaar.frameworks.models import Item

    framework = get_framework(slug)
    round_ = round_open(
        region=world.own.region,
        framework=framework,
        organisations=[world.own],
        title=f"Uitvraag {slug}",
        opens_on=datetime.date(2026, 1, 1),
        deadline=datetime.date(2026, 3, 1),
        by=world.coordinator,
    )
    assessment = round_.assessments.get()
    for code, data in answers.items():
        item = Item.objects.get(section__framework=framework, code=code)
        answer_save(assessment=assessment, item=item, data=data, expected_version=0, by=world.alice)
    Assessment.all_objects.filter(pk=assessment.pk).update(
        state=AssessmentState.FINAL, finalised_at=timezone.now()
    )
    return assessment
