"""Recording contacts through the service: rules refuse with a message on the field and change
nothing; a recorded contact is audited and keeps the clocks' meaning."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from reunify.cases.models import CaseParticipant, ParticipantRole
from reunify.cases.tests.factories import open_case
from reunify.contacts import services
from reunify.contacts.models import CaseworkerContact, ContactPurpose
from reunify.core.models import AuditEvent
from reunify.people.models import Person

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 1)


@pytest.fixture
def case(caseworker):
    return open_case(worker=caseworker)


def child_of(case):
    return case.participants.get(role=ParticipantRole.CHILD).person


def parent_of(case):
    return case.participants.get(role=ParticipantRole.PARENT).person


def record(case, actor, **kwargs):
    values = {"occurred_on": dt.date(2026, 10, 5), "today": TODAY, **kwargs}
    return services.contact_record(actor=actor, case=case, child=child_of(case), **values)


def test_a_visit_with_the_child_is_stored_with_its_topics_and_audited(case, caseworker):
    contact = record(
        case,
        caseworker,
        private_conversation=True,
        purposes=["safety", "well_being", "safety"],
        duration_minutes=45,
        note="  Doing well.  ",
    )
    contact.refresh_from_db()
    assert (contact.seen, contact.person, contact.private_conversation) == ("child", None, True)
    assert (contact.duration_minutes, contact.note, contact.worker) == (
        45,
        "Doing well.",
        caseworker,
    )
    assert sorted(contact.purposes.values_list("purpose", flat=True)) == ["safety", "well_being"]
    event = AuditEvent.objects.get(action="contact.recorded", object_id=contact.pk)
    assert event.case_id == case.pk
    assert event.actor == caseworker
    assert event.changes["purposes"] == ["safety", "well_being"]
    assert contact.history.count() == 1


def test_the_old_keyword_call_still_works(case, caseworker):
    contact = services.contact_record(
        actor=caseworker,
        case=case,
        child=child_of(case),
        occurred_on=dt.date(2026, 10, 1),
        face_to_face=True,
        in_child_residence=True,
        note="",
        today=TODAY,
    )
    assert (contact.seen, contact.private_conversation, contact.purposes.count()) == (
        "child",
        None,
        0,
    )


def test_a_contact_with_the_mother_names_her(case, caseworker):
    mother = parent_of(case)
    contact = record(
        case,
        caseworker,
        seen="mother",
        person=mother,
        in_child_residence=False,
        location_reason="Met at the agency office",
    )
    assert (contact.person, contact.private_conversation) == (mother, None)
    assert contact.location_reason == "Met at the agency office"


def test_resource_parents_need_no_person_and_a_home_visit_needs_no_reason(case, caseworker):
    contact = record(
        case, caseworker, seen="resource_parents", person=child_of(case), location_reason="ignored"
    )
    assert (contact.person, contact.location_reason) == (None, "")


def _refused(case, actor, field, **kwargs):
    contacts, events = CaseworkerContact.objects.count(), AuditEvent.objects.count()
    purposes = ContactPurpose.objects.count()
    with pytest.raises(ValidationError) as error:
        record(case, actor, **kwargs)
    assert field in error.value.message_dict, error.value.message_dict
    assert (
        CaseworkerContact.objects.count(),
        AuditEvent.objects.count(),
        ContactPurpose.objects.count(),
    ) == (contacts, events, purposes)
    return error.value.message_dict[field][0]


def test_refusals_name_the_field_and_change_nothing(case, caseworker, agency):
    assert "future" in _refused(case, caseworker, "occurred_on", occurred_on=dt.date(2026, 11, 2))
    assert "residence" in _refused(case, caseworker, "location_reason", in_child_residence=False)
    _refused(case, caseworker, "person", seen="mother")
    _refused(case, caseworker, "person", seen="father", person=child_of(case))
    assert "child was seen" in _refused(
        case,
        caseworker,
        "private_conversation",
        seen="mother",
        person=parent_of(case),
        private_conversation=True,
    )
    _refused(case, caseworker, "purposes", purposes=["gossip"])
    _refused(case, caseworker, "duration_minutes", duration_minutes=0)
    stranger = Person.objects.create(agency=agency, first_name="Sam", last_name="Stranger")
    _refused(case, caseworker, "person", seen="other_parent", person=stranger)
    aunt = Person.objects.create(agency=agency, first_name="Tia", last_name="Relative")
    CaseParticipant.objects.create(
        case=case, person=aunt, role=ParticipantRole.RELATIVE, added_on=TODAY
    )
    assert "not a parent" in _refused(case, caseworker, "person", seen="father", person=aunt)
    assert record(case, caseworker, seen="other_parent", person=aunt).person == aunt


def test_a_child_outside_the_case_is_refused(case, caseworker):
    other = open_case(worker=caseworker)
    with pytest.raises(ValidationError):
        services.contact_record(
            actor=caseworker, case=case, child=child_of(other), occurred_on=TODAY, today=TODAY
        )
    assert not CaseworkerContact.objects.exists()
