"""A synthetic demo agency: units, staff, resource families and facilities, and family cases
with realistic shapes (siblings, one- and two-parent households, relatives, kin and non-relative
placements, moves, trial home visits, reunifications, re-entries, concurrent goals).

Everything is made up: names come from Faker in several locales, addresses are invented streets
around a fictional county seat. The same seed and as-of date give the same data.

Rows are written in bulk (with their history rows and one audit event per case), because the
design point is 10,000 cases in well under two minutes. The generator only produces states the
services would accept; `tests/test_demo.py` re-validates a sample with `full_clean()` and the
placement rules."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_noop
from faker import Faker

from reunify.accounts.models import Agency, Role, Unit, User
from reunify.cases import demo_timeline, rules
from reunify.cases.models import (
    CaseAssignment,
    CaseParticipant,
    DischargeReason,
    EpisodeRemovalReason,
    FamilyCase,
    GoalKind,
    LegalAuthority,
    ParticipantRole,
    PermanencyGoal,
    Placement,
    PlacementEndReason,
    PlacementSetting,
    RemovalEpisode,
    RemovalReason,
    ResourceProvider,
    TransitionSummary,
)
from reunify.cases.services import (
    SYSTEM_REASON_CASE_OPENED,
    SYSTEM_REASON_SET_AT_REMOVAL,
    reentry_within_12_months,
)
from reunify.core import audit, clock
from reunify.core.models import AuditEvent
from reunify.people.models import (
    Address,
    FamilySide,
    HispanicEthnicity,
    IcwaStatus,
    ParentType,
    Person,
    PersonRace,
    Race,
    Relationship,
    RelationshipKind,
    Sex,
)

DEMO_PASSWORD = "reunify-demo"  # noqa: S105 - documented demo credential, refused in production
DEMO_AGENCY = "Riverbend County Children and Family Services (demo)"
CENTER = (47.253, -122.444)  # a fictional county seat; coordinates only place the invented streets
LOCALES = [("en_US", 6), ("es_MX", 4), ("vi_VN", 1), ("pt_BR", 1)]
LANGUAGE_BY_LOCALE = {
    "en_US": "English",
    "es_MX": "Spanish",
    "vi_VN": "Vietnamese",
    "pt_BR": "Portuguese",
}
CASES_PER_WORKER = 14
WORKERS_PER_UNIT = 6


@dataclass
class Names:
    female: list[str]
    male: list[str]
    last: list[str]


@dataclass
class Plan:
    """Objects waiting for bulk insertion, in dependency order."""

    addresses: list[Address] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    races: list[PersonRace] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    cases: list[FamilyCase] = field(default_factory=list)
    participants: list[CaseParticipant] = field(default_factory=list)
    assignments: list[CaseAssignment] = field(default_factory=list)
    episodes: list[RemovalEpisode] = field(default_factory=list)
    # (earlier episode, the child's next episode): linked once both have primary keys.
    reentries: list[tuple[RemovalEpisode, RemovalEpisode]] = field(default_factory=list)
    reasons: list[EpisodeRemovalReason] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    goals: list[PermanencyGoal] = field(default_factory=list)
    hearings: list[Any] = field(default_factory=list)
    findings: list[Any] = field(default_factory=list)
    case_plans: list[Any] = field(default_factory=list)
    visits: list[Any] = field(default_factory=list)
    notices: list[Any] = field(default_factory=list)
    reviews: list[Any] = field(default_factory=list)
    exceptions: list[Any] = field(default_factory=list)
    family_time_plans: list[Any] = field(default_factory=list)
    family_time_participants: list[Any] = field(default_factory=list)
    family_time_sessions: list[Any] = field(default_factory=list)
    petitions: list[Any] = field(default_factory=list)


class DemoAgency:
    def __init__(self, *, cases: int, seed: int, as_of: dt.date | None = None) -> None:
        self.case_count = cases
        self.seed = seed
        self.as_of = as_of or clock.today()
        self.rng = random.Random(seed)
        self.names = self._name_pools(seed)
        self.street_names = self._streets(seed)
        self.plan = Plan()
        self._parents: list[Person] = []
        self._siblings_apart: list[Person] = []

    # -- pools -------------------------------------------------------------------------------
    @staticmethod
    def _name_pools(seed: int) -> dict[str, Names]:
        pools = {}
        for offset, (locale, _weight) in enumerate(LOCALES):
            fake = Faker(locale)
            fake.seed_instance(seed + offset)
            pools[locale] = Names(
                female=sorted({fake.first_name_female() for _ in range(400)}),
                male=sorted({fake.first_name_male() for _ in range(400)}),
                last=sorted({fake.last_name() for _ in range(600)}),
            )
        return pools

    @staticmethod
    def _streets(seed: int) -> list[str]:
        fake = Faker("en_US")
        fake.seed_instance(seed + 99)
        return sorted({fake.street_name() for _ in range(500)})

    def _locale(self) -> str:
        return self.rng.choices([loc for loc, _ in LOCALES], weights=[w for _, w in LOCALES])[0]

    def _address(self) -> Address:
        rng = self.rng
        address = Address(
            line1=f"{rng.randint(10, 9999)} {rng.choice(self.street_names)}",
            city=rng.choice(["Riverbend", "Millbrook", "Cedar Falls", "Oak Hollow", "Fairview"]),
            state="WA",
            postal_code=f"98{rng.randint(300, 499)}",
            latitude=Decimal(f"{CENTER[0] + rng.uniform(-0.45, 0.45):.6f}"),
            longitude=Decimal(f"{CENTER[1] + rng.uniform(-0.55, 0.55):.6f}"),
        )
        self.plan.addresses.append(address)
        return address

    # -- people ------------------------------------------------------------------------------
    def _person(
        self, agency: Agency, locale: str, last: str, *, sex: str, born: dt.date | None, adult: bool
    ) -> Person:
        names = self.names[locale]
        pool = names.female if sex == Sex.FEMALE else names.male
        rng = self.rng
        hispanic = (
            HispanicEthnicity.YES
            if locale == "es_MX" or (locale == "pt_BR" and rng.random() < 0.3)
            else rng.choice(
                [HispanicEthnicity.NO] * 8 + [HispanicEthnicity.DECLINED, HispanicEthnicity.UNKNOWN]
            )
        )
        person = Person(
            agency=agency,
            first_name=rng.choice(pool),
            last_name=last,
            date_of_birth=born,
            sex=sex,
            hispanic_ethnicity=hispanic,
            primary_language=LANGUAGE_BY_LOCALE[locale],
            needs_interpreter=adult and locale != "en_US" and rng.random() < 0.5,
            icwa_status=IcwaStatus.NOT_APPLICABLE,
        )
        if rng.random() < 0.04:
            person.tribal_affiliation = rng.choice(
                ["Osage Nation", "Cherokee Nation", "Navajo Nation"]
            )
            person.icwa_status = rng.choice([IcwaStatus.REASON_TO_KNOW, IcwaStatus.APPLIES])
        if rng.random() < 0.15:
            person.middle_name = rng.choice(pool)
        self.plan.persons.append(person)
        for race in self._races(locale):
            self.plan.races.append(PersonRace(person=person, race=race))
        return person

    def _races(self, locale: str) -> list[str]:
        rng = self.rng
        if locale == "vi_VN":
            return [Race.ASIAN]
        roll = rng.random()
        if roll < 0.08:
            return sorted(rng.sample([Race.BLACK, Race.WHITE, Race.AMERICAN_INDIAN, Race.ASIAN], 2))
        if roll < 0.12:
            return [Race.DECLINED]
        return [
            rng.choices(
                [Race.WHITE, Race.BLACK, Race.AMERICAN_INDIAN, Race.PACIFIC_ISLANDER],
                weights=[55, 38, 4, 3],
            )[0]
        ]

    def _birth(self, *, age_min: int, age_max: int) -> dt.date:
        if age_min == age_max:
            return demo_timeline.birth_date(self.rng, age=age_min, as_of=self.as_of)
        days = self.rng.randint(age_min * 365, age_max * 365 + 364)
        return self.as_of - dt.timedelta(days=days)

    def _relate(self, agency: Agency, a: Person, b: Person, kind: str, **extra: Any) -> None:
        self.plan.relationships.append(
            Relationship(agency=agency, from_person=a, to_person=b, kind=kind, **extra)
        )

    # -- the agency --------------------------------------------------------------------------
    def build(self) -> Agency:
        with transaction.atomic():
            agency = Agency.objects.create(
                name=DEMO_AGENCY, jurisdiction="WA", clock_profile="washington"
            )
            _units, workers, _supervisors, admin = self._staff(agency)
            providers = self._providers(agency)
            self._families(agency, workers, providers)
            self._flush()
            self._built_on_cases(agency)
            self._audit(agency, admin)
            from reunify.clocks.services import clocks_refresh_all

            clocks_refresh_all(today=self.as_of)
            self._handovers(agency)
        return agency

    def _handovers(self, agency: Agency) -> None:
        """Handover summaries for the cases reassigned in the last 60 days (built now, from the
        demo's own record); those of the last two weeks still wait for the new worker."""
        from reunify.cases import transition

        now = clock.now()
        recent = (
            CaseAssignment.objects.filter(
                case__agency=agency,
                ended_on__isnull=True,
                started_on__gte=self.as_of - dt.timedelta(days=60),
            )
            .exclude(reason=SYSTEM_REASON_CASE_OPENED)
            .select_related("case", "worker")
        )
        for assignment in recent:
            fresh = (self.as_of - assignment.started_on).days < 14
            TransitionSummary.objects.create(
                case=assignment.case,
                assignment=assignment,
                built_at=now,
                content=transition.build(case=assignment.case, today=self.as_of),
                acknowledged_at=None if fresh else now,
                acknowledged_by=None if fresh else assignment.worker,
            )

    def _built_on_cases(self, agency: Agency) -> None:
        """The demo data of the apps that build on cases (imported here: they import cases).
        Each has its own random generator, so the rest of the demo stays the same for a seed."""
        from reunify.assessments.demo import demo_assessments
        from reunify.case_plans.demo import demo_plans
        from reunify.cases.demo_confidential import demo_confidential_facts
        from reunify.messaging.demo import demo_messages
        from reunify.partners.demo import demo_partners
        from reunify.portal.demo import demo_portal
        from reunify.referrals.demo import demo_referrals
        from reunify.reminders.demo import demo_reminders
        from reunify.road_home.demo import demo_road_home
        from reunify.services.demo import demo_directory
        from reunify.tracing.demo import demo_tracing

        demo_confidential_facts(agency=agency, rng=random.Random(self.seed))
        demo_reminders(agency=agency, as_of=self.as_of, rng=random.Random(self.seed))
        demo_directory(agency)
        demo_plans(agency=agency, seed=self.seed)
        demo_referrals(agency=agency, as_of=self.as_of, rng=random.Random(self.seed))
        demo_assessments(agency=agency, as_of=self.as_of, rng=random.Random(self.seed))
        demo_road_home(agency=agency, as_of=self.as_of, rng=random.Random(self.seed))
        demo_portal(agency=agency, as_of=self.as_of, rng=random.Random(self.seed))
        demo_partners(agency=agency, as_of=self.as_of, rng=random.Random(self.seed))
        demo_messages(agency=agency, as_of=self.as_of, rng=random.Random(self.seed))
        demo_tracing(agency=agency, as_of=self.as_of, rng=random.Random(self.seed))

    def _staff(self, agency: Agency) -> tuple[list[Unit], list[User], list[User], User]:
        worker_count = max(3, -(-self.case_count // CASES_PER_WORKER))
        unit_count = max(2, -(-worker_count // WORKERS_PER_UNIT))
        units = [
            Unit.objects.create(agency=agency, name=f"Unit {chr(65 + i % 26)}{i // 26 or ''}")
            for i in range(unit_count)
        ]
        fake = Faker("en_US")
        fake.seed_instance(self.seed + 7)
        admin = User(
            username="admin",
            first_name="Avery",
            last_name="Admin",
            email="admin@demo.reunify.invalid",
            role=Role.AGENCY_ADMIN,
            agency=agency,
        )
        staff: list[User] = [admin]
        supervisors = []
        for index, unit in enumerate(units):
            username = "supervisor" if index == 0 else f"supervisor{index + 1}"
            first = "Sam" if index == 0 else fake.first_name()
            supervisors.append(
                User(
                    username=username,
                    first_name=first,
                    last_name="Supervisor" if index == 0 else fake.last_name(),
                    email=f"{username}@demo.reunify.invalid",
                    role=Role.SUPERVISOR,
                    agency=agency,
                    unit=unit,
                )
            )
        workers = []
        for index in range(worker_count):
            unit = units[index % unit_count]
            username = "caseworker" if index == 0 else f"worker{index + 1}"
            first, last = (
                ("Casey", "Worker") if index == 0 else (fake.first_name(), fake.last_name())
            )
            workers.append(
                User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@demo.reunify.invalid",
                    role=Role.CASEWORKER,
                    agency=agency,
                    unit=unit,
                )
            )
        staff += supervisors + workers
        password = User(username="x")
        password.set_password(DEMO_PASSWORD)
        for user in staff:
            user.password = password.password
        User.objects.bulk_create(staff)
        User.history.bulk_history_create(staff, default_change_reason="demo data")
        return units, workers, supervisors, admin

    def _providers(self, agency: Agency) -> dict[str, list[ResourceProvider]]:
        rng = self.rng
        count = max(12, self.case_count // 2)
        kinds = {  # non-relative providers; kin homes are made per family from its relatives
            ResourceProvider.Kind.FOSTER_FAMILY: 62,
            ResourceProvider.Kind.PRE_ADOPTIVE: 12,
            ResourceProvider.Kind.GROUP_HOME: 5,
            ResourceProvider.Kind.INSTITUTION: 3,
        }
        providers: dict[str, list[ResourceProvider]] = {k: [] for k in kinds}
        objs = []
        for index in range(count):
            kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
            locale = self._locale()
            last = rng.choice(self.names[locale].last)
            if kind == ResourceProvider.Kind.GROUP_HOME:
                name, capacity = f"{rng.choice(self.street_names)} Group Home", 8
            elif kind == ResourceProvider.Kind.INSTITUTION:
                name, capacity = (
                    f"{rng.choice(['Hope', 'Harbor', 'Cedar', 'Bridges'])} Youth Center {index}",
                    24,
                )
            else:
                name, capacity = f"{last} family", rng.choice([2, 3, 4])
            provider = ResourceProvider(
                agency=agency, name=name, kind=kind, capacity=capacity, address=self._address()
            )
            providers[kind].append(provider)
            objs.append(provider)
        self._pending_providers = objs
        return providers

    def _kin_provider(self, agency: Agency, relative: Person) -> ResourceProvider:
        provider = ResourceProvider(
            agency=agency,
            name=f"{relative.first_name} {relative.last_name} (kin)",
            kind=ResourceProvider.Kind.KIN_FAMILY,
            capacity=3,
            address=relative.address or self._address(),
        )
        self._pending_providers.append(provider)
        return provider

    def _families(
        self, agency: Agency, workers: Sequence[User], providers: dict[str, list[ResourceProvider]]
    ) -> None:
        year_counts: dict[int, int] = {}
        for index in range(self.case_count):
            worker = workers[index % len(workers)]
            self._family(agency, worker, workers, providers, year_counts)

    def _family(
        self,
        agency: Agency,
        worker: User,
        workers: Sequence[User],
        providers: dict[str, list[ResourceProvider]],
        year_counts: dict[int, int],
    ) -> None:
        rng, plan = self.rng, self.plan
        locale = self._locale()
        family_name = rng.choice(self.names[locale].last)
        opened_on = demo_timeline.case_opened_on(rng, self.as_of)
        year_counts[opened_on.year] = year_counts.get(opened_on.year, 0) + 1
        case = FamilyCase(
            agency=agency,
            unit_id=worker.unit_id,
            worker=worker,
            name=family_name,
            number=f"{opened_on.year}-{year_counts[opened_on.year]:06d}",
            opened_on=opened_on,
        )
        plan.cases.append(case)

        home = self._address()
        two_parent = rng.random() < 0.4
        mother_age = rng.randint(19, 44)
        mother = self._person(
            agency,
            locale,
            family_name,
            sex=Sex.FEMALE,
            born=self._birth(age_min=mother_age, age_max=mother_age),
            adult=True,
        )
        mother.address = home
        mother.phone = f"(314) 555-{rng.randint(1000, 9999)}"
        parents = [(mother, ParentType.BIOLOGICAL, True)]
        if two_parent or rng.random() < 0.55:
            father_last = family_name if two_parent else rng.choice(self.names[locale].last)
            father = self._person(
                agency,
                locale,
                father_last,
                sex=Sex.MALE,
                born=self._birth(age_min=mother_age, age_max=mother_age + 8),
                adult=True,
            )
            ptype = (
                ParentType.BIOLOGICAL
                if two_parent
                else rng.choice([ParentType.BIOLOGICAL, ParentType.LEGAL, ParentType.ALLEGED])
            )
            father.address = (
                home if two_parent else (self._address() if rng.random() < 0.6 else None)
            )
            parents.append((father, ptype, two_parent))
            if two_parent:
                self._relate(agency, mother, father, RelationshipKind.PARTNER)

        child_count = demo_timeline.child_count(rng)
        children = []
        for _ in range(child_count):
            age = demo_timeline.child_age(rng, mother_age)
            born = self._birth(age_min=age, age_max=age)
            born = min(born, opened_on - dt.timedelta(days=20))
            child = self._person(
                agency,
                locale,
                family_name,
                sex=rng.choice([Sex.FEMALE, Sex.MALE]),
                born=born,
                adult=False,
            )
            children.append(child)
        for i, a in enumerate(children):
            for b in children[i + 1 :]:
                self._relate(agency, a, b, RelationshipKind.SIBLING)
        for parent, ptype, custodial in parents:
            for child in children:
                self._relate(
                    agency,
                    parent,
                    child,
                    RelationshipKind.PARENT,
                    parent_type=ptype,
                    is_custodial=custodial,
                )

        relatives = []
        for _ in range(rng.choices([0, 1, 2, 3], weights=[20, 40, 28, 12])[0]):
            kind, side = rng.choice(
                [
                    (RelationshipKind.GRANDPARENT, FamilySide.MATERNAL),
                    (RelationshipKind.GRANDPARENT, FamilySide.PATERNAL),
                    (RelationshipKind.AUNT_UNCLE, FamilySide.MATERNAL),
                    (RelationshipKind.AUNT_UNCLE, FamilySide.PATERNAL),
                    (RelationshipKind.COUSIN, FamilySide.MATERNAL),
                    (RelationshipKind.FICTIVE_KIN, FamilySide.NOT_APPLICABLE),
                ]
            )
            age = (
                rng.randint(45, 72) if kind == RelationshipKind.GRANDPARENT else rng.randint(24, 55)
            )
            last = family_name if rng.random() < 0.6 else rng.choice(self.names[locale].last)
            relative = self._person(
                agency,
                locale,
                last,
                sex=rng.choice([Sex.FEMALE, Sex.MALE]),
                born=self._birth(age_min=age, age_max=age),
                adult=True,
            )
            relative.address = self._address()
            relatives.append((relative, kind))
            for child in children:
                self._relate(agency, relative, child, kind, side=side)

        for person, role in (
            [(c, ParticipantRole.CHILD) for c in children]
            + [(p, ParticipantRole.PARENT) for p, _t, _c in parents]
            + [
                (
                    r,
                    ParticipantRole.SUPPORT
                    if k == RelationshipKind.FICTIVE_KIN
                    else ParticipantRole.RELATIVE,
                )
                for r, k in relatives
            ]
        ):
            plan.participants.append(
                CaseParticipant(case=case, person=person, role=role, added_on=opened_on)
            )

        self._assignments(case, worker, workers, opened_on)
        kin_provider = None
        if relatives and rng.random() < 0.45:
            kin_provider = self._kin_provider(agency, relatives[0][0])
        self._parents = [p for p, _t, _c in parents]
        self._removals(case, children, home, providers, kin_provider, opened_on)

    def _assignments(
        self, case: FamilyCase, worker: User, workers: Sequence[User], opened_on: dt.date
    ) -> None:
        rng = self.rng
        same_unit = [w for w in workers if w.unit_id == worker.unit_id and w is not worker]
        if same_unit and rng.random() < 0.3 and (self.as_of - opened_on).days > 60:
            earlier = rng.choice(same_unit)
            switch = opened_on + dt.timedelta(
                days=rng.randint(20, (self.as_of - opened_on).days - 10)
            )
            self.plan.assignments.append(
                CaseAssignment(
                    case=case,
                    worker=earlier,
                    started_on=opened_on,
                    ended_on=switch,
                    reason=SYSTEM_REASON_CASE_OPENED,
                    assigned_by=None,
                )
            )
            self.plan.assignments.append(
                CaseAssignment(
                    case=case,
                    worker=worker,
                    started_on=switch,
                    reason=rng.choice(
                        [
                            gettext_noop("Worker left the agency"),
                            gettext_noop("Caseload balancing"),
                            gettext_noop("Language match"),
                        ]
                    ),
                    assigned_by=None,
                )
            )
        else:
            self.plan.assignments.append(
                CaseAssignment(
                    case=case, worker=worker, started_on=opened_on, reason=SYSTEM_REASON_CASE_OPENED
                )
            )

    def _removals(
        self,
        case: FamilyCase,
        children: Sequence[Person],
        home: Address,
        providers: dict[str, list[ResourceProvider]],
        kin_provider: ResourceProvider | None,
        opened_on: dt.date,
    ) -> None:
        rng = self.rng
        first_episode, first_placement = len(self.plan.episodes), len(self.plan.placements)
        removed_on = demo_timeline.removed_on(rng, opened_on, self.as_of)
        outcome = demo_timeline.outcome(rng)
        concurrent = rng.random() < 0.3
        reasons = rng.sample(
            [
                RemovalReason.NEGLECT,
                RemovalReason.PARENT_DRUGS,
                RemovalReason.PHYSICAL_ABUSE,
                RemovalReason.INADEQUATE_HOUSING,
                RemovalReason.CARETAKER_UNABLE,
                RemovalReason.PARENT_ALCOHOL,
                RemovalReason.PARENT_INCARCERATION,
            ],
            k=rng.randint(1, 3),
        )
        authority = LegalAuthority.COURT_ORDER if rng.random() < 0.88 else LegalAuthority.VOLUNTARY
        # Siblings usually go to the same home; larger sibling groups are sometimes split.
        shared_home = kin_provider or self._pick(providers, rng)
        all_open = True
        for child in children:
            if rng.random() < demo_timeline.STAYS_HOME_SHARE and len(children) > 1:
                continue  # this child stayed home
            home_for_child = (
                shared_home
                if rng.random() < demo_timeline.SHARED_HOME_SHARE
                else self._pick(providers, rng)
            )
            # For family time with siblings placed elsewhere (read by _family_time).
            self._siblings_apart = (
                [c for c in children if c is not child] if home_for_child is not shared_home else []
            )
            # The child's episodes (a re-entry after reunification is a second one).
            timelines = demo_timeline.child_episodes(
                rng,
                removed=removed_on,
                as_of=self.as_of,
                ends=outcome,
                born=child.date_of_birth,
                first_home=(home_for_child, self._setting_for(home_for_child)),
                pick_home=lambda: self._home(providers),
            )
            earlier: RemovalEpisode | None = None
            for index, timeline in enumerate(timelines):
                episode = self._episode(
                    case,
                    child,
                    timeline,
                    reasons,
                    authority if index == 0 else LegalAuthority.COURT_ORDER,
                    home,
                    outcome if index == 0 else demo_timeline.IN_CARE,
                    concurrent or index > 0,
                )
                if earlier is not None:
                    self.plan.reentries.append((earlier, episode))
                earlier = episode
            if timelines[-1].discharged_on is not None:
                all_open = False
        self._events(
            case,
            self.plan.episodes[first_episode:],
            self.plan.placements[first_placement:],
            concurrent,
        )
        if not all_open and outcome in ("reunified", "other_exit") and rng.random() < 0.5:
            case.status = FamilyCase.Status.CLOSED
            case.closed_on = self.as_of - dt.timedelta(days=rng.randint(0, 30))
            if case.closed_on < case.opened_on:
                case.closed_on = case.opened_on

    def _events(
        self,
        case: FamilyCase,
        episodes: Sequence[RemovalEpisode],
        placements: Sequence[Placement],
        concurrent: bool,
    ) -> None:
        """Court hearings for the case, and per child the findings, case plans, relative notices,
        caseworker visits and concurrent-planning reviews the statutory clocks read. Most are on
        time, some late and some missing, as in a real agency."""
        from reunify.case_plans.models import CasePlan
        from reunify.cases.models import ConcurrentPlanningReview, RelativeNotice
        from reunify.contacts.models import CaseworkerContact
        from reunify.court.models import Finding, Hearing

        if not episodes:
            return
        rng, plan, as_of = self.rng, self.plan, self.as_of
        removed = min(e.removed_on for e in episodes if e.removed_on is not None)
        ends = [e.discharged_on or as_of for e in episodes]
        last = min(max(ends), as_of)

        def day(base: dt.date, low: int, high: int) -> dt.date:
            return base + dt.timedelta(days=rng.randint(low, high))

        schedule: list[tuple[str, dt.date]] = [("shelter", day(removed, 1, 3))]
        adjudication = day(removed, 25, 80)
        schedule += [("adjudication", adjudication), ("disposition", day(adjudication, 10, 30))]
        anchor = removed + dt.timedelta(days=60)
        for index in range(1, 8):
            kind = "permanency" if index % 2 == 0 else "review"
            schedule.append((kind, day(anchor + dt.timedelta(days=182 * index), -25, 35)))
        held_dates: dict[str, list[tuple[dt.date, Any]]] = {}
        upcoming_added = False
        for kind, on in schedule:
            if on <= last and on <= as_of:
                hearing = Hearing(
                    case=case,
                    kind=kind,
                    scheduled_for=on,
                    status="held",
                    held_on=on,
                    attendees="Parents, attorneys, guardian ad litem",
                )
                plan.hearings.append(hearing)
                held_dates.setdefault(kind, []).append((on, hearing))
            elif not upcoming_added and last == as_of:
                plan.hearings.append(
                    Hearing(
                        case=case,
                        kind=kind,
                        scheduled_for=max(on, as_of + dt.timedelta(days=rng.randint(3, 40))),
                    )
                )
                upcoming_added = True
        by_episode: dict[int, list[Placement]] = {}
        for placement in placements:
            by_episode.setdefault(id(placement.episode), []).append(placement)
        for episode in episodes:
            child, start = episode.child, episode.removed_on
            end = min(episode.discharged_on or as_of, as_of)
            for kind, finding in (
                ("shelter", "contrary_to_welfare"),
                ("shelter", "re_prevent_removal"),
                ("adjudication", "abuse_neglect_adjudicated"),
                ("permanency", "re_finalize_permanency"),
            ):
                for on, hearing in held_dates.get(kind, []):
                    if start <= on <= end and rng.random() < 0.93:
                        plan.findings.append(
                            Finding(
                                case=case, child=child, kind=finding, made_on=on, hearing=hearing
                            )
                        )
            if rng.random() < 0.85:
                sent = day(start, 3, 40)
                if sent <= end:
                    plan.notices.append(
                        RelativeNotice(
                            episode=episode, sent_on=sent, relatives_notified=rng.randint(1, 6)
                        )
                    )
            if rng.random() < 0.85:
                completed = day(start, 20, 75)
                if completed <= end:
                    plan.case_plans.append(
                        CasePlan(episode=episode, kind="initial", completed_on=completed)
                    )
                    reviews = [
                        on for k in ("review", "permanency") for on, _h in held_dates.get(k, [])
                    ]
                    moves = [p.started_on for p in by_episode.get(id(episode), [])[1:]]
                    for trigger in sorted(t for t in moves + reviews if t >= completed):
                        update = day(trigger, 3, 40)
                        if update <= end and rng.random() < 0.85:
                            plan.case_plans.append(
                                CasePlan(episode=episode, kind="update", completed_on=update)
                            )
            for placement in by_episode.get(id(episode), []):
                if placement.setting == PlacementSetting.RUNAWAY:
                    continue
                visit = day(placement.started_on, 1, 12)
                if visit <= end:
                    plan.visits.append(
                        CaseworkerContact(
                            case=case, child=child, occurred_on=visit, in_child_residence=True
                        )
                    )
            month = max(start, as_of - dt.timedelta(days=90))
            while month <= end:
                if rng.random() < 0.9:
                    plan.visits.append(
                        CaseworkerContact(
                            case=case,
                            child=child,
                            occurred_on=min(day(month, 0, 25), end),
                            in_child_residence=rng.random() < 0.8,
                        )
                    )
                month += dt.timedelta(days=30)
            self._family_time(episode, start, end)
            self._tpr_decision(
                case, episode, by_episode.get(id(episode), []), start, end, concurrent
            )
            review_due = add_months_demo(start, 6)
            if review_due <= end + dt.timedelta(days=20) and rng.random() < 0.8:
                reviewed = min(day(review_due, -20, 25), end)
                plan.reviews.append(
                    ConcurrentPlanningReview(
                        episode=episode,
                        reviewed_on=max(reviewed, start),
                        reunification_likely=not concurrent,
                    )
                )

    def _family_time(self, episode: RemovalEpisode, start: dt.date, end: dt.date) -> None:
        """A family-time plan with the parents for a child in care, and one with the siblings
        for a child placed apart from them, each with the last four weeks of sessions recorded
        (most held, some cancelled or missed) and the next two weeks scheduled."""
        from reunify.family_time.models import FamilyTimePlan

        rng, as_of = self.rng, self.as_of
        if episode.discharged_on is not None or (as_of - start).days < 14:
            return
        days = (as_of - start).days
        level = (
            "supervised"
            if days < 120
            else rng.choice(["supervised", "monitored", "unsupervised_day"])
        )
        location = {
            "supervised": "agency_room",
            "monitored": "community",
            "unsupervised_day": "parent_home",
        }[level]
        weekdays = sorted(rng.sample(range(5), 2))
        starts = dt.time(rng.choice([10, 15, 16, 17]), 0)
        plan = FamilyTimePlan(
            episode=episode,
            level=level,
            weekdays=",".join(map(str, weekdays)),
            start_time=starts,
            duration_minutes=rng.choice([60, 90, 120]),
            location_type=location,
            address="Riverbend Family Visit Center, 200 Main St"
            if location == "agency_room"
            else "",
            location_confidential=False,
            supervisor="Family visit coach" if level == "supervised" else "",
            effective_from=start + dt.timedelta(days=rng.randint(1, 7)),
            next_review_on=as_of + dt.timedelta(days=rng.randint(10, 60)),
        )
        self.plan.family_time_plans.append(plan)
        for parent in self._parents:
            self.plan.family_time_participants.append((plan, parent))
        self._family_time_sessions(plan, weekdays, starts, "Parent and child")
        if self._siblings_apart and rng.random() < 0.7:
            siblings = FamilyTimePlan(
                episode=episode,
                kind="sibling",
                level="monitored",
                weekdays=str(rng.choice([5, 6])),
                start_time=dt.time(rng.choice([11, 13, 14]), 0),
                duration_minutes=120,
                location_type="community",
                address="Riverbend Public Library, children's room",
                location_confidential=False,
                supervisor="Resource parents",
                effective_from=plan.effective_from + dt.timedelta(days=rng.randint(3, 14)),
                next_review_on=plan.next_review_on,
            )
            self.plan.family_time_plans.append(siblings)
            for sibling in self._siblings_apart:
                self.plan.family_time_participants.append((siblings, sibling))
            self._family_time_sessions(
                siblings, siblings.weekday_list, siblings.start_time, "Brothers and sisters"
            )

    def _family_time_sessions(
        self, plan: Any, weekdays: Sequence[int], starts: dt.time, attendees: str
    ) -> None:
        """The last four weeks of sessions recorded and the next two weeks scheduled."""
        from zoneinfo import ZoneInfo

        from django.conf import settings

        from reunify.family_time.models import FamilyTimeSession

        rng, as_of = self.rng, self.as_of
        zone = ZoneInfo(settings.REUNIFY_AGENCY_TIME_ZONE)
        day = max(as_of - dt.timedelta(days=28), plan.effective_from)
        while day <= as_of + dt.timedelta(days=14):
            if day.weekday() in weekdays:
                starts_at = dt.datetime.combine(day, starts, tzinfo=zone)
                session = FamilyTimeSession(
                    plan=plan,
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(minutes=plan.duration_minutes),
                )
                if day < as_of:
                    roll = rng.random()
                    if roll < 0.8:
                        session.status, session.actual_minutes = "held", plan.duration_minutes
                        session.quality = rng.choice([2, 3, 3, 4])
                        session.attendees = attendees
                    elif roll < 0.92:
                        session.status = "cancelled"
                        session.cancelled_by = rng.choice(["parent", "agency", "resource_family"])
                        session.cancel_reason = rng.choice(
                            ["Transportation fell through", "Child was ill", "Staff unavailable"]
                        )
                    else:
                        session.status = "no_show"
                self.plan.family_time_sessions.append(session)
            day += dt.timedelta(days=1)

    def _tpr_decision(
        self,
        case: FamilyCase,
        episode: RemovalEpisode,
        placements: Sequence[Placement],
        start: dt.date,
        end: dt.date,
        concurrent: bool,
    ) -> None:
        """Near 15 of 22 months, most long stays record an exception or file a petition."""
        from reunify.clocks.models import ClockException
        from reunify.court.models import Petition

        rng = self.rng
        decision_on = start + dt.timedelta(days=rng.randint(400, 470))
        if decision_on > end or rng.random() < 0.15:
            return
        with_kin = any(
            p.setting == PlacementSetting.FOSTER_FAMILY_RELATIVE
            for p in placements
            if p.ended_on is None
        )
        if with_kin:
            self.plan.exceptions.append(
                ClockException(
                    episode=episode,
                    reason="placed_with_relative",
                    recorded_on=decision_on,
                    note="Placed with a relative who is committed to the child's permanency.",
                )
            )
        elif concurrent and rng.random() < 0.5:
            self.plan.petitions.append(
                Petition(
                    case=case,
                    child=episode.child,
                    kind="tpr",
                    filed_on=decision_on,
                    grounds="15 of the most recent 22 months in foster care",
                )
            )
        else:
            self.plan.exceptions.append(
                ClockException(
                    episode=episode,
                    reason=rng.choice(["compelling_reason", "services_not_provided"]),
                    recorded_on=decision_on,
                    note="Parent is engaged in treatment and visits consistently; reunification expected within months.",
                )
            )

    @staticmethod
    def _pick(providers: dict[str, list[ResourceProvider]], rng: random.Random) -> ResourceProvider:
        kind = rng.choices(list(providers), weights=[len(v) for v in providers.values()])[0]
        return rng.choice(providers[kind])

    def _home(self, providers: dict[str, list[ResourceProvider]]) -> tuple[ResourceProvider, str]:
        provider = self._pick(providers, self.rng)
        return provider, self._setting_for(provider)

    def _episode(
        self,
        case: FamilyCase,
        child: Person,
        timeline: demo_timeline.Timeline[ResourceProvider],
        reasons: Iterable[str],
        authority: str,
        home: Address,
        outcome: str,
        concurrent: bool,
    ) -> RemovalEpisode:
        """One removal episode drawn by `demo_timeline`, with its placements and goals."""
        rng, plan = self.rng, self.plan
        removed_on = timeline.removed_on
        episode = RemovalEpisode(
            case=case, child=child, removed_on=removed_on, legal_authority=authority
        )
        plan.episodes.append(episode)
        plan.reasons.extend(
            EpisodeRemovalReason(episode=episode, reason=r) for r in sorted(set(reasons))
        )
        discharged = timeline.discharged_on is not None
        span_end = timeline.discharged_on or self.as_of
        stays = timeline.stays
        for i, stay in enumerate(stays):
            start, ended, setting = stay.start, stay.end, stay.setting
            end_reason = ""
            if ended is not None:
                if i + 1 < len(stays):
                    nxt = stays[i + 1].setting
                    move_reasons = [
                        PlacementEndReason.STEP_DOWN,
                        PlacementEndReason.PROVIDER_REQUEST,
                        PlacementEndReason.CHILD_NEEDS,
                        PlacementEndReason.SIBLINGS_TOGETHER,
                    ]
                    end_reason = {
                        PlacementSetting.TRIAL_HOME_VISIT: PlacementEndReason.TRIAL_HOME_VISIT,
                        PlacementSetting.RUNAWAY: PlacementEndReason.RUNAWAY,
                        PlacementSetting.FOSTER_FAMILY_RELATIVE: PlacementEndReason.KIN_FOUND,
                    }.get(nxt) or rng.choice(move_reasons)
                    if setting == PlacementSetting.RUNAWAY:
                        end_reason = PlacementEndReason.RETURNED
                else:
                    end_reason = PlacementEndReason.DISCHARGE
            provider = stay.home
            distance = None
            if (
                provider is not None
                and provider.address is not None
                and provider.address.has_coordinates
            ):
                distance = Decimal(
                    str(
                        rules.miles_between(
                            float(home.latitude),
                            float(home.longitude),
                            float(provider.address.latitude),
                            float(provider.address.longitude),
                        )
                    )
                )
            plan.placements.append(
                Placement(
                    episode=episode,
                    setting=setting,
                    provider=provider,
                    started_on=start,
                    ended_on=ended,
                    end_reason=end_reason,
                    is_kinship=provider is not None
                    and provider.kind == ResourceProvider.Kind.KIN_FAMILY,
                    distance_miles=distance,
                    distance_computed=distance is not None,
                )
            )
        # Goals.
        goal_end = timeline.discharged_on
        if outcome == demo_timeline.OTHER_EXIT:
            change = removed_on + dt.timedelta(days=max(1, (span_end - removed_on).days // 2))
            plan.goals.append(
                PermanencyGoal(
                    episode=episode,
                    kind=GoalKind.REUNIFICATION,
                    started_on=removed_on,
                    ended_on=change if discharged else None,
                    reason=SYSTEM_REASON_SET_AT_REMOVAL,
                )
            )
            if discharged:
                plan.goals.append(
                    PermanencyGoal(
                        episode=episode,
                        kind={
                            DischargeReason.GUARDIANSHIP: GoalKind.GUARDIANSHIP,
                            DischargeReason.ADOPTION: GoalKind.ADOPTION,
                            DischargeReason.LIVING_WITH_RELATIVE: GoalKind.RELATIVE,
                        }[timeline.discharge_reason],
                        started_on=change,
                        ended_on=goal_end,
                        reason=gettext_noop("Changed at permanency hearing"),
                    )
                )
        else:
            plan.goals.append(
                PermanencyGoal(
                    episode=episode,
                    kind=GoalKind.REUNIFICATION,
                    started_on=removed_on,
                    ended_on=goal_end,
                    reason=SYSTEM_REASON_SET_AT_REMOVAL,
                )
            )
        if concurrent and (span_end - removed_on).days > 180:
            start = removed_on + dt.timedelta(days=rng.randint(150, 180))
            plan.goals.append(
                PermanencyGoal(
                    episode=episode,
                    kind=rng.choice([GoalKind.ADOPTION, GoalKind.GUARDIANSHIP, GoalKind.RELATIVE]),
                    is_concurrent=True,
                    started_on=start,
                    ended_on=goal_end,
                    reason=gettext_noop("Reunification within 6 months unlikely"),
                )
            )
        if discharged:
            episode.discharged_on = timeline.discharged_on
            episode.discharge_reason = timeline.discharge_reason or ""
        return episode

    @staticmethod
    def _setting_for(provider: ResourceProvider) -> str:
        return {
            ResourceProvider.Kind.KIN_FAMILY: PlacementSetting.FOSTER_FAMILY_RELATIVE,
            ResourceProvider.Kind.FOSTER_FAMILY: PlacementSetting.FOSTER_FAMILY_NONRELATIVE,
            ResourceProvider.Kind.PRE_ADOPTIVE: PlacementSetting.PRE_ADOPTIVE_HOME,
            ResourceProvider.Kind.GROUP_HOME: PlacementSetting.GROUP_HOME,
            ResourceProvider.Kind.INSTITUTION: PlacementSetting.INSTITUTION,
        }[provider.kind]

    # -- writing -----------------------------------------------------------------------------
    def _flush(self) -> None:
        plan = self.plan
        batch = 2000
        self._bulk(Address, plan.addresses, batch)
        self._bulk(ResourceProvider, self._pending_providers, batch)
        self._bulk(Person, plan.persons, batch)
        PersonRace.objects.bulk_create(plan.races, batch_size=batch)
        self._bulk(Relationship, plan.relationships, batch)
        self._bulk(FamilyCase, plan.cases, batch)
        self._bulk(CaseParticipant, plan.participants, batch)
        self._bulk(CaseAssignment, plan.assignments, batch)
        RemovalEpisode.objects.bulk_create(plan.episodes, batch_size=batch)
        for earlier, later in plan.reentries:  # the same rule as services.removal_record
            later.previous_episode = earlier
            later.reentry_within_12_months = reentry_within_12_months(earlier, later.removed_on)
        RemovalEpisode.objects.bulk_update(
            [later for _, later in plan.reentries],
            ["previous_episode", "reentry_within_12_months"],
            batch_size=batch,
        )
        RemovalEpisode.history.bulk_history_create(  # type: ignore[attr-defined]
            plan.episodes, batch_size=batch, default_change_reason="demo data"
        )
        EpisodeRemovalReason.objects.bulk_create(plan.reasons, batch_size=batch)
        self._bulk(Placement, plan.placements, batch)
        self._bulk(PermanencyGoal, plan.goals, batch)
        from reunify.case_plans.models import CasePlan
        from reunify.cases.models import ConcurrentPlanningReview, RelativeNotice
        from reunify.clocks.models import ClockException
        from reunify.contacts.models import CaseworkerContact
        from reunify.court.models import Finding, Hearing, Petition
        from reunify.family_time.models import FamilyTimePlan, FamilyTimeSession

        self._bulk(FamilyTimePlan, plan.family_time_plans, batch)
        FamilyTimePlan.participants.through.objects.bulk_create(
            [
                FamilyTimePlan.participants.through(familytimeplan=p, person=person)
                for p, person in plan.family_time_participants
            ],
            batch_size=batch,
        )
        for model, objs in (
            (Hearing, plan.hearings),
            (Finding, plan.findings),
            (CasePlan, plan.case_plans),
            (Petition, plan.petitions),
            (ClockException, plan.exceptions),
            (CaseworkerContact, plan.visits),
            (RelativeNotice, plan.notices),
            (ConcurrentPlanningReview, plan.reviews),
            (FamilyTimeSession, plan.family_time_sessions),
        ):
            # Event rows are written once and never edited: no history rows, for speed.
            model._default_manager.bulk_create(objs, batch_size=batch)

    @staticmethod
    def _bulk(model: type[models.Model], objs: list[Any], batch: int) -> None:
        # bulk_create takes each foreign key from the related object saved just before.
        model._default_manager.bulk_create(objs, batch_size=batch)
        model.history.bulk_history_create(objs, batch_size=batch, default_change_reason="demo data")  # type: ignore[attr-defined]

    def _audit(self, agency: Agency, admin: User) -> None:
        now = clock.now()
        events = [
            AuditEvent(
                occurred_at=now,
                actor=None,
                actor_label="system",
                kind=AuditEvent.Kind.CHANGE,
                action="demo.seeded",
                object_type="cases.familycase",
                object_id=case.pk,
                case_id=case.pk,
                agency_id=agency.pk,
                summary=f"Demo data: case {case.number} created",
                changes={"seed": self.seed},
            )
            for case in self.plan.cases
        ]
        audit.bulk_append(events)


def add_months_demo(start: dt.date, months: int) -> dt.date:
    from reunify.clocks.dates import add_months

    return add_months(start, months)


def demo_agency_create(*, cases: int, seed: int, as_of: dt.date | None = None) -> Agency:
    return DemoAgency(cases=cases, seed=seed, as_of=as_of).build()
