"""The contacts policy follows the case's: assigned worker and unit supervisor record, the
admin reads, nobody outside sees."""

import pytest

from reunify.cases.tests.factories import open_case
from reunify.contacts import permissions, services
from reunify.contacts.models import CaseworkerContact

pytestmark = pytest.mark.django_db


def test_who_records_and_who_reads(
    caseworker, other_caseworker, supervisor, other_supervisor, agency_admin, foreign_admin
):
    case = open_case(worker=caseworker)
    cells = {
        caseworker: (True, True),
        supervisor: (True, True),
        agency_admin: (True, False),
        other_caseworker: (False, False),
        other_supervisor: (False, False),
        foreign_admin: (False, False),
    }
    for user, (view, record) in cells.items():
        assert permissions.can_view_contacts(user, case) is view, user
        assert permissions.can_record_contact(user, case) is record, user


def test_compliance_views(
    supervisor, other_supervisor, agency_admin, foreign_admin, caseworker, unit
):
    assert permissions.can_view_unit_compliance(supervisor, unit)
    assert permissions.can_view_unit_compliance(agency_admin, unit)
    assert not permissions.can_view_unit_compliance(other_supervisor, unit)
    assert not permissions.can_view_unit_compliance(foreign_admin, unit)
    assert not permissions.can_view_unit_compliance(caseworker, unit)
    assert permissions.can_view_agency_compliance(agency_admin)
    assert not permissions.can_view_agency_compliance(supervisor)


def test_contacts_visible_to(caseworker, other_caseworker, agency_admin, foreign_admin):
    case = open_case(worker=caseworker)
    child = case.participants.get(role="child").person
    services.contact_record(actor=caseworker, case=case, child=child, occurred_on=case.opened_on)
    contact = CaseworkerContact.objects.get()
    assert list(permissions.contacts_visible_to(caseworker)) == [contact]
    assert list(permissions.contacts_visible_to(agency_admin)) == [contact]
    assert not permissions.contacts_visible_to(other_caseworker).exists()
    assert not permissions.contacts_visible_to(foreign_admin).exists()
