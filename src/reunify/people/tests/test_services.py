import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from reunify.cases.tests.factories import open_case
from reunify.core.concurrency import StaleEditError
from reunify.core.models import AuditEvent
from reunify.people import rules, services
from reunify.people.models import Person
from reunify.people.services import PersonInput

pytestmark = pytest.mark.django_db


def _edit(person, version, actor, **changes):
    data = PersonInput(
        **(
            {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "date_of_birth": person.date_of_birth,
            }
            | changes
        )
    )
    return services.person_update(
        actor=actor, person=person, expected_version=version, data=data, today=dt.date(2026, 11, 1)
    )


def test_edit_bumps_version_and_audits_the_change(caseworker):
    person = open_case(worker=caseworker).participants.get(role="child").person
    updated = _edit(
        person, person.version, caseworker, first_name="Anita", races=["black", "white"]
    )
    assert updated.version == person.version + 1
    assert sorted(updated.races.values_list("race", flat=True)) == ["black", "white"]
    event = AuditEvent.objects.filter(action="person.updated").latest("id")
    assert event.changes["first_name"] == [person.first_name, "Anita"]
    assert updated.history.count() == 2


def test_stale_edit_is_refused_naming_who_and_when(caseworker, supervisor):
    person = open_case(worker=caseworker).participants.get(role="child").person
    version = person.version
    _edit(person, version, supervisor, first_name="First")
    with pytest.raises(StaleEditError) as error:
        _edit(person, version, caseworker, first_name="Second")
    assert error.value.changed_by == supervisor.get_full_name()
    assert supervisor.get_full_name() in str(error.value)
    assert Person.objects.get(pk=person.pk).first_name == "First"


def test_birth_date_in_future_refused_on_edit(caseworker):
    person = open_case(worker=caseworker).participants.get(role="child").person
    with pytest.raises(ValidationError) as error:
        _edit(person, person.version, caseworker, date_of_birth=dt.date(2027, 1, 1))
    assert error.value.message_dict["date_of_birth"] == [rules.BIRTH_IN_FUTURE]
    person.refresh_from_db()
    assert person.version == 1


def test_person_page_records_an_access_event(client, caseworker):
    person = open_case(worker=caseworker).participants.get(role="child").person
    client.force_login(caseworker)
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200
    assert (
        AuditEvent.objects.filter(
            action="person.viewed", object_id=person.pk, actor=caseworker
        ).count()
        == 1
    )
