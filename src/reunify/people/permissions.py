"""Who may see and edit people. A person is visible through the cases they take part in, so the
case policy decides; deny by default."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reunify.cases import permissions as case_permissions
from reunify.cases.models import CaseParticipant
from reunify.people.models import Person


def persons_visible_to(user: Any) -> QuerySet[Person]:
    cases = case_permissions.cases_visible_to(user)
    return Person.objects.filter(
        pk__in=CaseParticipant.objects.filter(case__in=cases).values("person_id")
    )


def can_view_person(user: Any, person: Person) -> bool:
    return persons_visible_to(user).filter(pk=person.pk).exists()


def can_edit_person(user: Any, person: Person) -> bool:
    cases = case_permissions.cases_visible_to(user).filter(participants__person=person).distinct()
    return any(case_permissions.can_edit_case(user, case) for case in cases)
