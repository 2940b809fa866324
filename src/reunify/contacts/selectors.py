"""Reads for contact screens. Every function starts from a queryset already limited by the
policy and issues a fixed number of queries whatever the caseload."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from reunify.accounts.models import User
from reunify.cases.models import CaseParticipant, FamilyCase, ParticipantRole, RemovalEpisode
from reunify.contacts import compliance
from reunify.contacts.models import CaseworkerContact, ContactPurpose
from reunify.people.models import Person, Sex

CONTACT_FIELDS = (
    "child_id",
    "occurred_on",
    "seen",
    "face_to_face",
    "in_child_residence",
    "person_id",
)


def _contact(row: tuple) -> compliance.Contact:
    _child, on, seen, face, residence, person = row
    return compliance.Contact(
        on=on, seen=seen, face_to_face=face, in_residence=residence, person_id=person
    )


def _interval(episode: RemovalEpisode) -> compliance.Interval:
    return compliance.Interval(start=episode.removed_on, end=episode.discharged_on)


@dataclass(frozen=True)
class ParentVisits:
    person: Person
    months: int


@dataclass(frozen=True)
class ChildContacts:
    contacts: list[CaseworkerContact]
    compliance: compliance.ChildCompliance
    parents: list[ParentVisits]


def child_contacts(*, case: FamilyCase, child: Person, today: dt.date) -> ChildContacts:
    """The child's contacts in the case, newest first, and the monthly compliance."""
    contacts = list(
        case.contacts.filter(child=child)
        .select_related("person", "worker")
        .prefetch_related(Prefetch("purposes", queryset=ContactPurpose.objects.order_by("id")))
    )
    intervals = [_interval(e) for e in case.episodes.filter(child=child).order_by("removed_on")]
    result = compliance.child_compliance(
        intervals=intervals,
        contacts=[
            compliance.Contact(
                on=c.occurred_on,
                seen=c.seen,
                face_to_face=c.face_to_face,
                in_residence=c.in_child_residence,
                person_id=c.person_id,
            )
            for c in contacts
        ],
        today=today,
    )
    parents = [
        ParentVisits(person=p.person, months=result.parent_months(p.person_id))
        for p in case.participants.filter(role=ParticipantRole.PARENT).select_related("person")
    ]
    return ChildContacts(contacts=contacts, compliance=result, parents=parents)


@dataclass(frozen=True)
class MissedMonth:
    case: FamilyCase
    child: Person
    month: dt.date


@dataclass(frozen=True)
class WorkerTally:
    worker: User
    tally: compliance.Tally


@dataclass
class Compliance:
    start: dt.date
    end: dt.date
    tally: compliance.Tally = field(default_factory=compliance.Tally)
    workers: list[WorkerTally] = field(default_factory=list)
    missed: list[MissedMonth] = field(default_factory=list)
    target: int = compliance.TARGET_PERCENT


def compliance_for_cases(
    *, cases: QuerySet[FamilyCase], start: dt.date, end: dt.date, today: dt.date
) -> Compliance:
    """Child-months in care in the months from `start` to `end` for the children removed in
    `cases`: totals, per worker, and the months without a face-to-face visit. Three queries."""
    episodes = list(
        RemovalEpisode.objects.filter(case__in=cases, removed_on__lte=end)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=start))
        .select_related("case", "case__worker", "child")
        .order_by("case__name", "case_id", "child__date_of_birth", "child_id", "removed_on")
    )
    by_child: dict[tuple[int, int], list[RemovalEpisode]] = defaultdict(list)
    for episode in episodes:
        by_child[(episode.case_id, episode.child_id)].append(episode)
    contacts: dict[tuple[int, int], list[compliance.Contact]] = defaultdict(list)
    for row in CaseworkerContact.objects.filter(
        case__in=cases,
        occurred_on__gte=compliance.month_start(start),
        occurred_on__lte=compliance.month_end(compliance.month_start(end)),
    ).values_list("case_id", *CONTACT_FIELDS):
        contacts[(row[0], row[1])].append(_contact(row[1:]))
    parents: dict[int, set[str]] = defaultdict(set)
    for case_id, sex in CaseParticipant.objects.filter(
        case__in=cases, role=ParticipantRole.PARENT
    ).values_list("case_id", "person__sex"):
        parents[case_id].add(sex)
    result = Compliance(start=start, end=end)
    workers: dict[int, WorkerTally] = {}
    for key, child_episodes in by_child.items():
        first = child_episodes[0]
        child = compliance.child_compliance(
            intervals=[_interval(e) for e in child_episodes],
            contacts=contacts.get(key, []),
            today=today,
            start=start,
            end=end,
            has_mother=Sex.FEMALE in parents[key[0]],
            has_father=Sex.MALE in parents[key[0]],
        )
        tally = child.tally
        if tally.months == 0:
            continue
        result.tally += tally
        worker = first.case.worker
        previous = workers.get(worker.pk)
        workers[worker.pk] = WorkerTally(
            worker=worker, tally=(previous.tally + tally) if previous else tally
        )
        result.missed += [
            MissedMonth(case=first.case, child=first.child, month=m) for m in child.missed
        ]
    result.workers = sorted(
        workers.values(), key=lambda w: (w.worker.last_name, w.worker.first_name, w.worker.pk)
    )
    result.missed.sort(key=lambda m: (m.month, m.case.name, m.child.last_name, m.child.pk))
    return result
