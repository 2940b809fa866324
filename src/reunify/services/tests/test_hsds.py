"""Reading and checking HSDS data (pure: no database). A malformed file is refused with the file,
row and field of every problem; a valid one comes back fully resolved."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from reunify.services import hsds
from reunify.services import hsds_schema as schema
from reunify.services.demo import DEMO_DIRECTORY
from reunify.services.tests.factories import edit_rows, small_package, write_csv, zipped


def refused(source, **kwargs) -> list[str]:
    with pytest.raises(schema.HsdsError) as caught:
        hsds.read_directory(source, **kwargs)
    return [str(p) for p in caught.value.problems]


def by_id(rows):
    return {r.hsds_id: r for r in rows}


def test_the_demo_directory_is_valid_and_covers_every_need_category():
    directory = hsds.read_directory(DEMO_DIRECTORY)

    assert len(directory.organizations) == 25
    assert 40 <= len(directory.services) <= 45
    categories = {c for s in directory.services for c in s.categories}
    assert categories == {
        "substance_use",
        "parenting",
        "housing",
        "mental_health",
        "domestic_violence",
        "concrete_supports",
        "employment",
        "legal_aid",
        "health_care",
        "child_care",
        "education",
    }
    assert any("es" in s.languages for s in directory.services)
    assert any(not s.accepting_new_clients for s in directory.services)
    assert any(s.cost == "free" for s in directory.services)
    assert all("555-01" in p.number for p in directory.phones)


def test_a_small_package_is_resolved(tmp_path):
    directory = hsds.read_directory(small_package(tmp_path / "pkg"))

    services = by_id(directory.services)
    assert services["svc-1"].languages == ("en", "es")  # "Spanish" named, no code
    assert services["svc-2"].languages == ("en",)  # ISO 639-2 "eng" is "en"
    assert services["svc-1"].categories == ("parenting",)
    assert services["svc-2"].categories == ("substance_use",)
    assert services["svc-3"].categories == ("legal_aid",)
    assert [s.cost for s in directory.services] == ["free", "sliding_scale", "fee"]
    assert [s.accepting_new_clients for s in directory.services] == [True, False, True]
    location = by_id(directory.locations)["loc-1"]
    assert (location.address_1, location.city, location.postal_code) == (
        "1 Alder St",
        "Riverbend",
        "98402",
    )
    assert (location.latitude, location.longitude) == (Decimal("47.25"), Decimal("-122.44"))
    schedule = directory.schedules[0]
    assert (schedule.byday, schedule.opens_at, schedule.closes_at) == (
        "MO,WE",
        dt.time(9),
        dt.time(12),
    )


def test_a_zip_with_the_files_in_a_folder_reads_like_the_folder(tmp_path):
    folder = small_package(tmp_path / "pkg")

    from_zip = hsds.read_directory(zipped(folder, inside="export/"), name="export.zip")

    assert from_zip == hsds.read_directory(folder)


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "services.csv",
            lambda r: {k: v for k, v in r.items() if k != "status"},
            "services.csv, row 1, field status: The required column is missing.",
        ),
        (
            "services.csv",
            lambda r: {**r, "status": "open"} if r["id"] == "svc-2" else r,
            "services.csv, row 3, field status: “open” is not one of: active, inactive, defunct, temporarily closed.",
        ),
        (
            "services.csv",
            lambda r: {**r, "organization_id": "org-9"} if r["id"] == "svc-3" else r,
            "services.csv, row 4, field organization_id: No organization has the id “org-9”.",
        ),
        (
            "locations.csv",
            lambda r: {**r, "latitude": "147.25"} if r["id"] == "loc-1" else r,
            "locations.csv, row 2, field latitude: 147.25 is outside -90 to 90.",
        ),
        (
            "locations.csv",
            lambda r: {**r, "longitude": "west"} if r["id"] == "loc-2" else r,
            "locations.csv, row 3, field longitude: “west” is not a number.",
        ),
        (
            "locations.csv",
            lambda r: {**r, "longitude": ""} if r["id"] == "loc-2" else r,
            "locations.csv, row 3, field longitude: Give both latitude and longitude, or neither.",
        ),
        (
            "organizations.csv",
            lambda r: {**r, "id": "org-1"},
            "organizations.csv, row 3, field id: The id “org-1” is used again (first on organizations.csv row 2).",
        ),
        (
            "service_at_locations.csv",
            lambda r: {**r, "location_id": "loc-1"} if r["id"] == "sal-3" else r,
            "service_at_locations.csv, row 4, field location_id: This service is already linked to this location (service_at_locations.csv row 3).",
        ),
        (
            "schedules.csv",
            lambda r: {**r, "opens_at": "9am"},
            "schedules.csv, row 2, field opens_at: “9am” is not a time such as 09:00 or 17:30:00Z.",
        ),
        (
            "languages.csv",
            lambda r: {**r, "name": "Klingonese", "code": ""} if r["id"] == "la-2" else r,
            "languages.csv, row 3, field name: “Klingonese” is not an ISO 639 language code or a known language.",
        ),
        (
            "phones.csv",
            lambda r: {**r, "service_id": ""} if r["id"] == "ph-2" else r,
            "phones.csv, row 3, field service_id: A phone needs a service, location or organization id.",
        ),
        (
            "service_attributes.csv",
            lambda r: {**r, "taxonomy_term_id": "t-404"} if r["id"] == "a-1" else r,
            "service_attributes.csv, row 2, field taxonomy_term_id: No taxonomy term has the id “t-404”.",
        ),
        (
            "services.csv",
            lambda r: {**r, "accepting_new_clients": "maybe"} if r["id"] == "svc-1" else r,
            "services.csv, row 2, field accepting_new_clients: “maybe” is not true or false.",
        ),
        (
            "services.csv",
            lambda r: {**r, "name": ""} if r["id"] == "svc-1" else r,
            "services.csv, row 2, field name: A value is required.",
        ),
    ],
)
def test_a_malformed_package_is_refused_naming_file_row_and_field(tmp_path, file, change, expected):
    folder = small_package(tmp_path / "pkg")
    edit_rows(folder / file, change)

    assert expected in refused(folder)


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    folder = small_package(tmp_path / "pkg")
    edit_rows(folder / "services.csv", lambda r: {**r, "status": "gone", "email": "nobody"})

    problems = refused(folder)

    assert sum("field status" in p for p in problems) == 3
    assert sum("field email" in p for p in problems) == 3


def test_the_required_files_must_be_there(tmp_path):
    folder = small_package(tmp_path / "pkg")
    (folder / "organizations.csv").unlink()

    assert "organizations.csv: The file is missing: every package needs it." in refused(folder)


def test_a_row_with_more_cells_than_columns_and_non_utf8_text_are_refused(tmp_path):
    folder = small_package(tmp_path / "pkg")
    with (folder / "phones.csv").open("a", encoding="utf-8") as handle:
        handle.write("ph-3,253-555-0103,,voice,,,svc-1,,,,surplus\n")
    (folder / "schedules.csv").write_bytes(
        "id,service_id,description\nsc-2,svc-1,caf\xe9\n".encode("latin-1")
    )

    problems = refused(folder)

    assert "phones.csv, row 4: The row has more cells than the header has columns." in problems
    assert "schedules.csv: The file is not UTF-8 text." in problems


def test_neither_zip_nor_json_is_refused():
    assert refused(b"hello, world", name="notes.txt") == [
        "notes.txt: This is neither a .zip of HSDS CSV files, a folder of them, nor an HSDS JSON file."
    ]
    assert refused(b"PK\x03\x04broken", name="broken.zip") == [
        "broken.zip: The .zip file cannot be read."
    ]


def test_hsds_2_file_names_and_columns_are_read(tmp_path):
    folder = small_package(tmp_path / "pkg")
    (folder / "service_at_locations.csv").rename(folder / "services_at_location.csv")
    (folder / "schedules.csv").unlink()
    write_csv(
        folder,
        "regular_schedules.csv",
        [
            {
                "id": "rs-1",
                "service_id": "svc-2",
                "weekday": "2",
                "opens_at": "08:30:00Z",
                "closes_at": "16:00",
            }
        ],
    )
    edit_rows(
        folder / "services.csv",
        lambda r: {("fees" if k == "fees_description" else k): v for k, v in r.items()},
    )

    directory = hsds.read_directory(folder)

    assert len(directory.service_at_locations) == 3
    assert (directory.schedules[0].byday, directory.schedules[0].opens_at) == ("TU", dt.time(8, 30))
    assert directory.services[0].fees_description == "Free"


def test_attributes_csv_reads_service_links_only(tmp_path):
    folder = small_package(tmp_path / "pkg")
    (folder / "service_attributes.csv").unlink()
    write_csv(
        folder,
        "attributes.csv",
        [
            {"id": "a-1", "link_id": "svc-1", "link_entity": "service", "taxonomy_term_id": "t-1"},
            {
                "id": "a-2",
                "link_id": "org-1",
                "link_entity": "organization",
                "taxonomy_term_id": "t-9",
            },
        ],
    )

    directory = hsds.read_directory(folder)

    assert by_id(directory.services)["svc-1"].term_ids == ("t-1",)


def test_datapackage_json_may_name_the_files(tmp_path):
    folder = small_package(tmp_path / "pkg")
    (folder / "services.csv").rename(folder / "svc-export.csv")
    (folder / "datapackage.json").write_text(
        json.dumps({"resources": [{"name": "service", "path": "data/svc-export.csv"}]})
    )

    assert len(hsds.read_directory(folder).services) == 3


def test_a_category_column_names_categories_and_an_unknown_one_is_refused(tmp_path):
    folder = small_package(tmp_path / "pkg")
    edit_rows(
        folder / "services.csv",
        lambda r: {**r, "category": "Housing; food" if r["id"] == "svc-3" else ""},
    )

    services = by_id(hsds.read_directory(folder).services)

    assert services["svc-3"].categories == ("concrete_supports", "housing", "legal_aid")

    edit_rows(
        folder / "services.csv",
        lambda r: {**r, "category": "wizardry" if r["id"] == "svc-1" else ""},
    )
    assert (
        "services.csv, row 2, field category: “wizardry” is not a Reunify need category."
        in refused(folder)
    )


# ---- JSON ---------------------------------------------------------------------------------------

SERVICE = {
    "id": "svc-1",
    "name": "Parenting Class",
    "status": "active",
    "fees_description": "Free",
    "organization": {"id": "org-1", "name": "Alder Family Services", "description": ""},
    "languages": [{"id": "la-1", "name": "Spanish", "code": "es"}],
    "phones": [
        {"id": "ph-1", "number": "253-555-0101", "languages": [{"id": "la-2", "code": "es"}]}
    ],
    "schedules": [{"id": "sc-1", "byday": "SA", "opens_at": "10:00", "closes_at": "12:00"}],
    "attributes": [{"id": "a-1", "taxonomy_term": {"id": "t-1", "name": "Parenting Education"}}],
    "service_at_locations": [
        {
            "id": "sal-1",
            "location": {
                "id": "loc-1",
                "name": "Alder office",
                "latitude": 47.25,
                "longitude": -122.44,
                "addresses": [
                    {
                        "id": "adr-1",
                        "address_1": "1 Alder St",
                        "city": "Riverbend",
                        "state_province": "WA",
                        "postal_code": "98402",
                        "address_type": "physical",
                    }
                ],
            },
        }
    ],
}


def test_hsds_json_services_are_read_with_their_nested_objects():
    second = {
        **SERVICE,
        "id": "svc-2",
        "name": "Fathers' Group",
        "phones": [],
        "schedules": [],
        "languages": [],
        "attributes": [],
        "service_at_locations": [
            {"id": "sal-2", "location": SERVICE["service_at_locations"][0]["location"]}
        ],
    }
    page = json.dumps({"total_items": 2, "contents": [SERVICE, second]}).encode()

    directory = hsds.read_directory(page, name="services.json")

    assert [s.hsds_id for s in directory.services] == ["svc-1", "svc-2"]
    assert len(directory.organizations) == 1  # shared, described the same way twice
    assert len(directory.locations) == 1
    service = by_id(directory.services)["svc-1"]
    assert (service.languages, service.categories, service.cost) == (
        ("es",),
        ("parenting",),
        "free",
    )
    assert directory.phones[0].language == "es"
    assert directory.locations[0].city == "Riverbend"
    assert directory.locations[0].latitude == Decimal("47.25")


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            b'[{"id": "svc-1", "name": ',
            "services.json, line 1: The file is not valid JSON: Expecting value.",
        ),
        (b'{"hello": "world"}', "services.json: Expected a list of HSDS service objects."),
        (b"[42]", "services.json, item 1: Expected an object."),
        (
            json.dumps([{**SERVICE, "phones": {"number": "1"}}]).encode(),
            "services.json, item 1, field phones: Expected a list.",
        ),
        (
            json.dumps([{**SERVICE, "status": "closed"}]).encode(),
            "services.json, item 1, field status: “closed” is not one of: active, inactive, defunct, temporarily closed.",
        ),
        (
            json.dumps(
                [
                    {
                        **SERVICE,
                        "service_at_locations": [
                            {
                                "id": "sal-1",
                                "location": {"id": "loc-1", "latitude": 95, "longitude": 1},
                            }
                        ],
                    }
                ]
            ).encode(),
            "services.json, item 1, field service_at_locations[0].location.latitude: 95 is outside -90 to 90.",
        ),
        (
            json.dumps(
                [SERVICE, {**SERVICE, "organization": {"id": "org-1", "name": "Other name"}}]
            ).encode(),
            "services.json, item 2, field organization.id: The id “org-1” is used again (first on services.json item 1).",
        ),
    ],
)
def test_malformed_json_is_refused_naming_item_and_field(document, expected):
    assert expected in refused(document, name="services.json")


def test_json_nested_too_deeply_is_refused_not_crashed():
    assert refused(b"[" * 100_000, name="deep.json") == [
        "deep.json: The file is not valid JSON: nested too deeply."
    ]


def test_problems_beyond_the_limit_are_counted(tmp_path):
    folder = small_package(tmp_path / "pkg")
    rows = [
        {"id": f"ph-{n}", "number": "", "service_id": "svc-1"}
        for n in range(schema.MAX_PROBLEMS + 10)
    ]
    write_csv(folder, "phones.csv", rows)

    with pytest.raises(schema.HsdsError) as caught:
        hsds.read_directory(folder)

    assert len(caught.value.problems) == schema.MAX_PROBLEMS
    assert caught.value.more == 10


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("es", "es"),
        ("es-MX", "es"),
        ("spa", "es"),
        ("Español", "es"),
        ("vi", "vi"),
        ("ASL", "ase"),
        ("", None),
        ("x", None),
    ],
)
def test_language_codes(value, code):
    assert schema.language_code(value) == code


def test_a_path_to_a_zip_file_is_read(tmp_path):
    archive = tmp_path / "directory.zip"
    archive.write_bytes(zipped(small_package(tmp_path / "pkg")))

    assert len(hsds.read_directory(Path(archive)).services) == 3
