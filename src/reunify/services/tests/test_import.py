"""Importing a directory: everything in one transaction, upserted by HSDS id, idempotent, services
missing from a re-import made inactive, malformed files refused with nothing changed."""

from __future__ import annotations

from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from reunify.cases.tests.factories import AgencyFactory
from reunify.core.models import AuditEvent
from reunify.services import services
from reunify.services.demo import demo_directory
from reunify.services.hsds_schema import HsdsError
from reunify.services.models import (
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCategory,
    ServiceLanguage,
    ServiceTerm,
    TaxonomyTerm,
)
from reunify.services.tests.factories import demo_copy, edit_rows, small_package, zipped

pytestmark = pytest.mark.django_db

MODELS = (
    Organization,
    Location,
    TaxonomyTerm,
    Service,
    ServiceAtLocation,
    Phone,
    Schedule,
    ServiceCategory,
    ServiceLanguage,
    ServiceTerm,
)
HISTORIED = (Organization, Location, TaxonomyTerm, Service, ServiceAtLocation, Phone, Schedule)


def snapshot() -> dict[str, object]:
    """Every directory row and history row, as values."""
    state: dict[str, object] = {
        model.__name__: sorted(model.objects.values_list(), key=repr) for model in MODELS
    }
    for model in HISTORIED:
        state[f"{model.__name__} history"] = model.history.count()
    return state


def test_the_demo_directory_imports_with_counts_and_one_audit_event(agency, agency_admin):
    result = services.directory_import(actor=agency_admin, agency=agency, source=demo_copy_path())

    assert result.services.as_dict() == {"created": 43, "updated": 0, "unchanged": 0, "removed": 0}
    assert result.tallies["organizations"].created == 25
    assert Service.objects.filter(agency=agency).count() == 43
    assert Service.history.filter(history_type="+").count() == 43
    assert Service.history.first().history_user == agency_admin
    assert ServiceCategory.objects.values("category").distinct().count() == 11
    event = AuditEvent.objects.get(action="directory.imported")
    assert event.actor == agency_admin
    assert event.agency_id == agency.pk
    assert event.changes["services"]["created"] == 43
    assert "43 services new" in event.summary


def demo_copy_path():
    from reunify.services.demo import DEMO_DIRECTORY

    return DEMO_DIRECTORY


def test_a_second_identical_import_changes_nothing(agency, agency_admin):
    demo_directory(agency)
    before = snapshot()

    again = services.directory_import(actor=agency_admin, agency=agency, source=demo_copy_path())

    assert again.services.as_dict() == {"created": 0, "updated": 0, "unchanged": 43, "removed": 0}
    assert all(t.created == t.updated == t.removed == 0 for t in again.tallies.values())
    assert snapshot() == before
    assert AuditEvent.objects.filter(action="directory.imported").count() == 2


def test_a_re_import_updates_in_place_and_makes_missing_services_inactive(
    tmp_path, agency, agency_admin
):
    folder = small_package(tmp_path / "pkg")
    services.directory_import(actor=agency_admin, agency=agency, source=folder)
    parenting = Service.objects.get(hsds_id="svc-1")
    # The next export renames one service, drops another and one of its phones, moves a
    # location, and teaches a third service Spanish.
    edit_rows(
        folder / "services.csv",
        lambda r: (
            None
            if r["id"] == "svc-3"
            else {**r, "name": r["name"] + " (new)"}
            if r["id"] == "svc-1"
            else r
        ),
    )
    edit_rows(folder / "phones.csv", lambda r: None if r["service_id"] == "svc-3" else r)
    edit_rows(
        folder / "locations.csv", lambda r: {**r, "latitude": "47.26"} if r["id"] == "loc-1" else r
    )
    edit_rows(
        folder / "service_attributes.csv", lambda r: None if r["service_id"] == "svc-3" else r
    )
    edit_rows(
        folder / "languages.csv",
        lambda r: {**r, "code": "es", "name": ""} if r["id"] == "la-3" else r,
    )

    result = services.directory_import(actor=agency_admin, agency=agency, source=folder)

    assert result.services.as_dict() == {"created": 0, "updated": 2, "unchanged": 0, "removed": 1}
    assert result.tallies["phones"].removed == 1
    assert result.tallies["locations"].updated == 1
    parenting.refresh_from_db()
    assert parenting.name == "Parenting Class (new)"  # the same row, updated in place
    assert parenting.search_text == "parenting class (new) alder family services"
    assert parenting.history.count() == 2
    hotline = Service.objects.get(hsds_id="svc-3")
    assert hotline.status == "inactive"  # kept: referrals may point to it
    assert hotline.history.first().status == "inactive"
    assert sorted(
        Service.objects.get(hsds_id="svc-2").languages.values_list("code", flat=True)
    ) == ["es"]
    assert not Phone.objects.filter(service=hotline).exists()


def test_a_service_back_in_the_directory_is_active_again(tmp_path, agency, agency_admin):
    folder = small_package(tmp_path / "pkg")
    services.directory_import(actor=agency_admin, agency=agency, source=folder)
    original = (folder / "services.csv").read_text()
    edit_rows(folder / "services.csv", lambda r: None if r["id"] == "svc-3" else r)
    edit_rows(folder / "phones.csv", lambda r: None if r["service_id"] == "svc-3" else r)
    edit_rows(
        folder / "service_attributes.csv", lambda r: None if r["service_id"] == "svc-3" else r
    )
    services.directory_import(actor=agency_admin, agency=agency, source=folder)
    (folder / "services.csv").write_text(original)

    result = services.directory_import(actor=agency_admin, agency=agency, source=folder)

    assert result.services.updated == 1
    assert Service.objects.get(hsds_id="svc-3").status == "active"


def test_a_malformed_file_is_refused_and_nothing_changes(tmp_path, agency, agency_admin):
    demo_directory(agency)
    before = snapshot()
    events = AuditEvent.objects.count()
    folder = demo_copy(tmp_path / "pkg")
    edit_rows(folder / "services.csv", lambda r: {**r, "name": "Renamed"})  # would update all
    edit_rows(
        folder / "locations.csv",
        lambda r: {**r, "latitude": "95"} if r["name"] == "Kestrel House" else r,
    )

    with pytest.raises(HsdsError) as caught:
        services.directory_import(actor=agency_admin, agency=agency, source=folder)

    assert [str(p) for p in caught.value.problems] == [
        "locations.csv, row 4, field latitude: 95 is outside -90 to 90."
    ]
    assert snapshot() == before
    assert AuditEvent.objects.count() == events


def test_a_database_failure_midway_leaves_nothing_half_imported(tmp_path, agency, agency_admin):
    folder = small_package(tmp_path / "pkg")
    with (
        mock.patch("reunify.services.services.audit.record", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        services.directory_import(actor=agency_admin, agency=agency, source=folder)

    assert all(not model.objects.exists() for model in MODELS)
    assert all(not model.history.exists() for model in HISTORIED)


def test_a_value_the_model_refuses_is_reported_on_its_row(tmp_path, agency, agency_admin):
    folder = small_package(tmp_path / "pkg")
    edit_rows(folder / "schedules.csv", lambda r: {**r, "byday": ",".join(["MO"] * 25)})

    with pytest.raises(HsdsError) as caught:
        services.directory_import(actor=agency_admin, agency=agency, source=folder)

    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.field) == ("schedules.csv", 2, "byday")
    assert not Service.objects.exists()


def test_each_agency_has_its_own_directory_with_the_same_hsds_ids(tmp_path, agency, agency_admin):
    other = AgencyFactory()
    folder = small_package(tmp_path / "pkg")
    services.directory_import(actor=agency_admin, agency=agency, source=folder)
    edit_rows(folder / "services.csv", lambda r: None if r["id"] != "svc-1" else r)
    for name in (
        "phones.csv",
        "service_attributes.csv",
        "languages.csv",
        "service_at_locations.csv",
    ):
        edit_rows(folder / name, lambda r: r if r.get("service_id") == "svc-1" else None)

    services.directory_import(actor=None, agency=other, source=zipped(folder), name="other.zip")

    assert Service.objects.filter(agency=agency, status="active").count() == 3
    assert Service.objects.filter(agency=other).count() == 1


def test_the_command_imports_and_reports(tmp_path, agency):
    out = StringIO()
    call_command(
        "directory-import", str(small_package(tmp_path / "pkg")), agency=str(agency.pk), stdout=out
    )

    assert "services: created 3, updated 0, unchanged 0, removed 0" in out.getvalue()
    assert AuditEvent.objects.get(action="directory.imported").actor_label == "system"


def test_the_command_refuses_a_malformed_package_naming_the_problem(tmp_path, agency):
    folder = small_package(tmp_path / "pkg")
    edit_rows(folder / "services.csv", lambda r: {**r, "organization_id": "nobody"})
    err = StringIO()

    with pytest.raises(CommandError, match="refused; nothing was changed"):
        call_command("directory-import", str(folder), agency=agency.name, stderr=err)

    assert (
        "services.csv, row 2, field organization_id: No organization has the id “nobody”."
        in err.getvalue()
    )
    assert not Service.objects.exists()


def test_the_command_needs_a_known_agency(tmp_path):
    with pytest.raises(CommandError, match="No agency"):
        call_command("directory-import", str(small_package(tmp_path / "pkg")), agency="Nowhere")
