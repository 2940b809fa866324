"""Test data built through the real services, so tests exercise the same rules users meet."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import factory

from reunify.accounts.models import Agency, Role, Unit, User
from reunify.cases import services
from reunify.cases.models import (
    FamilyCase,
    GoalKind,
    LegalAuthority,
    PlacementEndReason,
    PlacementSetting,
    RemovalReason,
    ResourceProvider,
)
from reunify.core import clock
from reunify.people.models import Address, ParentType
from reunify.people.services import AddressInput, PersonInput

PASSWORD = "a-long-test-password"
_numbers = itertools.count(1)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Unit {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    role = Role.CASEWORKER
    unit = factory.SubFactory(UnitFactory)
    agency = factory.LazyAttribute(lambda u: u.unit.agency if u.unit else AgencyFactory())
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    line1 = factory.Sequence(lambda n: f"{n} Elm Street")
    city = "Riverbend"
    state = "MO"
    latitude = Decimal("38.600000")
    longitude = Decimal("-90.200000")


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceProvider

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Provider family {n}")
    kind = ResourceProvider.Kind.FOSTER_FAMILY
    address = factory.SubFactory(
        AddressFactory, latitude=Decimal("38.700000"), longitude=Decimal("-90.300000")
    )


def child_input(
    *,
    first: str = "Ana",
    last: str = "Rivera",
    born: dt.date = dt.date(2018, 5, 1),
    removed_on: dt.date | None = dt.date(2026, 1, 10),
    provider: ResourceProvider | None = None,
    setting: str = PlacementSetting.FOSTER_FAMILY_NONRELATIVE,
    concurrent_goal: str = "",
) -> services.ChildInput:
    removal = None
    if removed_on is not None:
        removal = services.RemovalInput(
            removed_on=removed_on,
            legal_authority=LegalAuthority.COURT_ORDER,
            reasons=[RemovalReason.NEGLECT],
            placement=services.PlacementInput(
                setting=setting, started_on=removed_on, provider=provider
            ),
            goal=GoalKind.REUNIFICATION,
            concurrent_goal=concurrent_goal,
        )
    return services.ChildInput(
        person=PersonInput(first_name=first, last_name=last, date_of_birth=born), removal=removal
    )


def open_case(
    *,
    worker: User,
    children: int = 1,
    name: str | None = None,
    opened_on: dt.date = dt.date(2026, 1, 10),
    today: dt.date = dt.date(2026, 11, 1),
    with_parents: bool = True,
) -> FamilyCase:
    """A case opened by `worker` through `services.case_open`, each child removed and placed."""
    provider = ProviderFactory(agency=worker.agency)
    number = next(_numbers)
    family = name or f"Rivera{number}"
    kids = [
        child_input(
            first=f"Child{i}",
            last=family,
            born=dt.date(2015 + i, 3, 1),
            provider=provider,
            removed_on=opened_on,
        )
        for i in range(children)
    ]
    parents = []
    if with_parents:
        parents = [
            services.ParentInput(
                person=PersonInput(
                    first_name="Rosa",
                    last_name=family,
                    date_of_birth=dt.date(1990, 1, 1),
                    address=AddressInput(
                        line1="1 Main St",
                        city="Riverbend",
                        state="MO",
                        latitude=Decimal("38.600000"),
                        longitude=Decimal("-90.200000"),
                    ),
                ),
                parent_type=ParentType.BIOLOGICAL,
                is_custodial=True,
            )
        ]
    return services.case_open(
        actor=worker,
        name=f"{family} family",
        opened_on=opened_on,
        children=kids,
        parents=parents,
        today=today,
    )


def move_child(
    *, worker: User, episode, provider: ResourceProvider | None = None, school: str = ""
) -> None:
    """The child of `episode` moves to another (non-relative) family today, through the service."""
    episode.refresh_from_db()
    services.placement_change(
        actor=worker,
        episode=episode,
        expected_version=episode.version,
        data=services.PlacementInput(
            setting=PlacementSetting.FOSTER_FAMILY_NONRELATIVE,
            started_on=clock.today(),
            provider=provider or ProviderFactory(agency=worker.agency),
            school=school,
        ),
        end_reason=PlacementEndReason.CHILD_NEEDS,
    )
