"""Staff and unit administration: only administrators, validated, audited, no stale overwrites."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reunify.accounts import services
from reunify.accounts.models import Role, User
from reunify.cases.tests.factories import UnitFactory
from reunify.core.concurrency import StaleEditError
from reunify.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _create(admin, **overrides):
    fields = {
        "username": "newworker",
        "password": "a long enough passphrase",
        "first_name": "Noor",
        "last_name": "Haddad",
        "email": "noor@example.invalid",
        "role": Role.CASEWORKER,
        "unit": UnitFactory(agency=admin.agency),
    } | overrides
    return services.staff_create(actor=admin, agency=admin.agency, **fields)


def test_admin_creates_a_staff_account(agency_admin):
    user = _create(agency_admin)
    assert user.check_password("a long enough passphrase")
    assert user.agency == agency_admin.agency
    assert AuditEvent.objects.filter(action="staff.created", object_id=user.pk).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "short"}, "password"),
        ({"unit": None}, "unit"),
        ({"username": "bad name!"}, "username"),
    ],
)
def test_invalid_staff_account_is_refused(agency_admin, overrides, field):
    with pytest.raises(ValidationError) as error:
        _create(agency_admin, **overrides)
    assert field in error.value.message_dict
    assert not User.objects.filter(username=overrides.get("username", "newworker")).exists()


def test_unit_of_another_agency_is_refused(agency_admin):
    with pytest.raises(ValidationError):
        _create(agency_admin, unit=UnitFactory())


def test_admin_cannot_demote_or_deactivate_themselves(agency_admin):
    fields = {"first_name": "A", "last_name": "B", "email": "a@example.invalid", "unit": None}
    with pytest.raises(ValidationError):
        services.staff_update(
            actor=agency_admin,
            staff=agency_admin,
            expected_version=agency_admin.version,
            role=Role.CASEWORKER,
            is_active=True,
            **fields,
        )
    with pytest.raises(ValidationError):
        services.staff_update(
            actor=agency_admin,
            staff=agency_admin,
            expected_version=agency_admin.version,
            role=Role.AGENCY_ADMIN,
            is_active=False,
            **fields,
        )


def test_stale_staff_edit_is_refused(agency_admin, caseworker):
    fields = {
        "first_name": "X",
        "last_name": "Y",
        "email": "x@example.invalid",
        "role": Role.CASEWORKER,
        "unit": caseworker.unit,
        "is_active": True,
    }
    services.staff_update(
        actor=agency_admin, staff=caseworker, expected_version=caseworker.version, **fields
    )
    with pytest.raises(StaleEditError):
        services.staff_update(
            actor=agency_admin, staff=caseworker, expected_version=caseworker.version, **fields
        )


def test_unit_rename_is_versioned(agency_admin, unit):
    services.unit_rename(actor=agency_admin, unit=unit, expected_version=unit.version, name="North")
    with pytest.raises(StaleEditError):
        services.unit_rename(
            actor=agency_admin, unit=unit, expected_version=unit.version, name="South"
        )
    unit.refresh_from_db()
    assert unit.name == "North"


def test_there_is_no_self_registration(client):
    from django.urls import NoReverseMatch

    for name in ("accounts:signup", "accounts:register"):
        with pytest.raises(NoReverseMatch):
            reverse(name)


def test_staff_create_page_works_for_admins(client, agency_admin, unit):
    client.force_login(agency_admin)
    response = client.post(
        reverse("accounts:staff-create"),
        {
            "username": "pat",
            "password": "another long passphrase",
            "first_name": "Pat",
            "last_name": "Lee",
            "email": "pat@example.invalid",
            "role": Role.SUPERVISOR,
            "unit": unit.pk,
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="pat").role == Role.SUPERVISOR
