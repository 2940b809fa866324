"""The directory pages through the test client: search (with the case picker), a service's page,
and the administrator's import page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reunify.cases.tests.factories import AgencyFactory, open_case
from reunify.core.models import AuditEvent
from reunify.services.models import Service
from reunify.services.tests.factories import edit_rows, make_service, small_package, zipped

pytestmark = pytest.mark.django_db
SEARCH = "/services/"
PARENT_HOME = (38.6, -90.2)  # where open_case puts the parent


def page(client, user, url=SEARCH, **params):
    client.force_login(user)
    return client.get(url, params)


def test_the_search_page_lists_the_directory(client, caseworker, agency):
    service = make_service(agency, name="Alder Pantry", categories=["concrete_supports"])

    response = page(client, caseworker)

    assert response.status_code == 200
    assert "Alder Pantry" in response.content.decode()
    assert (
        f'href="{reverse("services:service-detail", args=[service.pk])}"'
        in response.content.decode()
    )
    assert reverse("services:search") == SEARCH


def test_searching_near_the_family_of_a_case(client, caseworker, agency):
    case = open_case(worker=caseworker)
    make_service(
        agency, name="Next door", at=(38.61, -90.2), categories=["housing"], languages=["es"]
    )
    make_service(agency, name="Too far", at=(39.5, -90.2), categories=["housing"], languages=["es"])
    make_service(agency, name="English only", at=(38.61, -90.2), categories=["housing"])

    response = page(
        client, caseworker, category="housing", language="es", case=case.pk, within_miles="25"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Next door" in body
    assert "0.7 miles" in body
    assert "Too far" not in body
    assert "English only" not in body


def test_the_case_picker_offers_only_cases_the_user_may_see(
    client, caseworker, other_caseworker, agency
):
    case = open_case(worker=caseworker, name="Quillfeather")

    assert "Quillfeather" in page(client, caseworker).content.decode()
    assert "Quillfeather" not in page(client, other_caseworker).content.decode()
    forged = page(client, other_caseworker, case=case.pk)
    assert forged.status_code == 400
    assert "Quillfeather" not in forged.content.decode()


def test_a_zip_code_or_coordinates_place_the_search(client, caseworker, agency):
    make_service(agency, name="Alder Office", at=(47.25, -122.44), postal_code="98402")

    by_zip = page(client, caseworker, place="98402", within_miles="5")
    by_point = page(client, caseworker, place="47.25, -122.44", within_miles="5")
    unknown = page(client, caseworker, place="10001")
    nonsense = page(client, caseworker, place="downtown")

    assert "Alder Office" in by_zip.content.decode()
    assert "Alder Office" in by_point.content.decode()
    assert unknown.status_code == 400
    assert "No service in the directory is in ZIP code 10001" in unknown.content.decode()
    assert nonsense.status_code == 400
    assert "five-digit ZIP code" in nonsense.content.decode()


def test_the_search_page_issues_the_same_queries_for_a_bigger_directory(client, caseworker, agency):
    def queries() -> int:
        client.force_login(caseworker)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(SEARCH, {"category": "housing", "place": "47.25,-122.44"})
        assert response.status_code == 200
        return len(captured.captured_queries)

    for n in range(2):
        make_service(agency, at=(47.25, -122.44 + n / 100), categories=["housing"])
    few = queries()
    for n in range(30):
        make_service(agency, at=(47.25, -122.44 + n / 100), categories=["housing"])

    assert queries() == few


def test_the_service_page_shows_the_details(client, caseworker, agency):
    service = make_service(agency, name="Alder Pantry", at=(47.25, -122.44), cost="free")

    response = page(client, caseworker, reverse("services:service-detail", args=[service.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Alder Pantry" in body
    assert "253-555-0199" in body
    assert "Mon, Tue (By appointment)" in body
    assert "English" in body


def test_another_agencys_service_is_not_found(client, caseworker):
    theirs = make_service(AgencyFactory(), name="Elsewhere")

    response = page(client, caseworker, reverse("services:service-detail", args=[theirs.pk]))

    assert response.status_code == 404


def test_the_pages_render_in_spanish(client, caseworker, agency):
    service = make_service(agency, name="Despensa", languages=["es"])
    client.force_login(caseworker)

    search = client.get("/es/services/", {"language": "es"})
    detail = client.get(f"/es/services/{service.pk}/")

    assert search.status_code == detail.status_code == 200
    assert '<html lang="es">' in search.content.decode()
    assert "Despensa" in search.content.decode()


def upload(client, user, data: bytes, name: str = "directory.zip"):
    client.force_login(user)
    return client.post(
        reverse("services:directory-import"), {"file": SimpleUploadedFile(name, data)}
    )


def test_the_administrator_imports_a_package_and_sees_the_counts(
    client, tmp_path, agency_admin, agency
):
    response = upload(client, agency_admin, zipped(small_package(tmp_path / "pkg")))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Imported from directory.zip" in body
    assert Service.objects.filter(agency=agency).count() == 3
    assert AuditEvent.objects.filter(action="directory.imported", actor=agency_admin).exists()


def test_a_malformed_upload_shows_row_and_field_and_changes_nothing(client, tmp_path, agency_admin):
    folder = small_package(tmp_path / "pkg")
    edit_rows(
        folder / "services.csv", lambda r: {**r, "status": "open"} if r["id"] == "svc-2" else r
    )

    response = upload(client, agency_admin, zipped(folder))

    body = response.content.decode()
    assert response.status_code == 400
    assert "The file was refused. Nothing was changed." in body
    assert "services.csv, row 3, field status: “open” is not one of" in body
    assert not Service.objects.exists()
    assert not AuditEvent.objects.filter(action="directory.imported").exists()


def test_a_json_upload_is_imported(client, agency_admin):
    document = (
        b'[{"id": "s1", "name": "Hotline", "status": "active",'
        b' "organization": {"id": "o1", "name": "Helpers"}}]'
    )

    response = upload(client, agency_admin, document, name="services.json")

    assert response.status_code == 200
    assert Service.objects.get().name == "Hotline"


def test_only_the_administrator_imports(client, tmp_path, supervisor):
    response = upload(client, supervisor, zipped(small_package(tmp_path / "pkg")))

    assert response.status_code == 403
    assert not Service.objects.exists()
