"""Searching the directory: every filter, distance ordering, the agency's own directory only, and a
number of queries that does not grow with the directory."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reunify.cases.models import ParticipantRole
from reunify.cases.rules import miles_between
from reunify.cases.tests.factories import AgencyFactory, open_case
from reunify.services import selectors
from reunify.services.demo import demo_directory
from reunify.services.models import Organization
from reunify.services.tests.factories import make_service

pytestmark = pytest.mark.django_db

HOME = (47.253, -122.444)


def names(results) -> list[str]:
    return [hit.service.name for hit in results.hits]


def test_filters_combine(agency):
    make_service(agency, name="A", categories=["housing"], languages=["en", "es"], cost="free")
    make_service(agency, name="B", categories=["housing"], languages=["en"], cost="free")
    make_service(
        agency, name="C", categories=["housing", "parenting"], languages=["es"], cost="fee"
    )
    make_service(agency, name="D", categories=["parenting"], languages=["es"], accepting=False)
    make_service(agency, name="E", categories=["housing"], languages=["es"], status="inactive")

    assert names(selectors.service_search(agency, category="housing")) == ["A", "B", "C"]
    assert names(selectors.service_search(agency, language="es")) == ["A", "C", "D"]
    assert names(selectors.service_search(agency, category="housing", language="es")) == ["A", "C"]
    assert names(selectors.service_search(agency, cost="free")) == ["A", "B"]
    assert names(selectors.service_search(agency, cost=["free", "fee"], language="es")) == [
        "A",
        "C",
    ]
    assert names(selectors.service_search(agency, language="es", accepting_only=True)) == ["A", "C"]
    assert names(selectors.service_search(agency, text="  b ")) == ["B"]


def test_words_match_the_organization_too(agency):
    kestrel = Organization.objects.create(agency=agency, hsds_id="kw", name="Kestrel Works")
    make_service(agency, name="Pantry", organization=kestrel)
    make_service(agency, name="Other")

    assert names(selectors.service_search(agency, text="KESTREL works")) == ["Pantry"]
    assert names(selectors.service_search(agency, text="kestrel other")) == []


def test_near_a_place_results_are_sorted_by_distance_with_the_distance(agency):
    make_service(agency, name="Far", at=(47.60, -122.44))  # about 24 miles north
    make_service(agency, name="Near", at=(47.26, -122.44))
    make_service(agency, name="Middle", at=(47.40, -122.44))
    make_service(agency, name="Nowhere")  # a hotline: no location

    everything = selectors.service_search(agency, near=HOME)
    within = selectors.service_search(agency, near=HOME, within_miles=15)

    assert names(everything) == ["Near", "Middle", "Far", "Nowhere"]
    assert [h.distance for h in everything.hits] == [
        miles_between(*HOME, 47.26, -122.44),
        miles_between(*HOME, 47.40, -122.44),
        miles_between(*HOME, 47.60, -122.44),
        None,
    ]
    assert names(within) == ["Near", "Middle"]
    assert within.total == 2


def test_the_nearest_location_of_a_service_counts(agency):
    service = make_service(agency, name="Two offices", at=(47.60, -122.44))
    other = make_service(agency, name="One office", at=(47.30, -122.44))
    near_office = other.service_locations.get().location
    service.service_locations.create(agency=agency, hsds_id="sal-extra", location=near_office)

    results = selectors.service_search(agency, near=HOME, within_miles=10)

    assert names(results) == ["One office", "Two offices"]
    assert results.hits[1].location == near_office


def test_the_box_prefilter_never_drops_a_service_inside_the_radius(agency):
    # Points just inside 25 miles in eight directions, and just outside in two.
    inside = [(47.253 + 0.36, -122.444), (47.253 - 0.36, -122.444), (47.253, -122.444 + 0.53)]
    inside += [(47.253, -122.444 - 0.53), (47.50, -122.08), (47.00, -122.80)]
    for n, point in enumerate(inside):
        make_service(agency, name=f"in {n}", at=point)
    make_service(agency, name="out north", at=(47.253 + 0.37, -122.444))
    make_service(agency, name="out east", at=(47.253, -122.444 + 0.55))

    found = set(names(selectors.service_search(agency, near=HOME, within_miles=25)))

    assert all(miles_between(*HOME, *p) <= 25 for p in inside)
    assert found == {f"in {n}" for n in range(len(inside))}


def test_another_agencys_directory_is_never_searched(agency):
    make_service(agency, name="Ours", at=HOME)
    make_service(AgencyFactory(), name="Theirs", at=HOME)

    assert names(selectors.service_search(agency)) == ["Ours"]
    assert names(selectors.service_search(agency, near=HOME, within_miles=5)) == ["Ours"]


def test_results_are_paginated(agency):
    for n in range(25):
        make_service(agency, name=f"S{n:02}", at=(47.253 + n / 1000, -122.444))

    by_name = selectors.service_search(agency, page=2, per_page=10)
    by_distance = selectors.service_search(agency, near=HOME, page=3, per_page=10)

    assert names(by_name) == [f"S{n:02}" for n in range(10, 20)]
    assert names(by_distance) == [f"S{n:02}" for n in range(20, 25)]
    assert (by_name.total, by_distance.page.paginator.num_pages) == (25, 3)


@pytest.mark.parametrize("near", [None, HOME])
def test_the_number_of_queries_does_not_grow_with_the_directory(agency, near):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.service_search(
                agency, category="housing", language="es", near=near, within_miles=25
            )
        return len(captured.captured_queries)

    for n in range(3):
        make_service(
            agency, at=(47.25 + n / 100, -122.44), categories=["housing"], languages=["es"]
        )
    few = queries()
    for n in range(40):
        make_service(
            agency, at=(47.25 + n / 100, -122.44), categories=["housing"], languages=["es"]
        )

    assert queries() == few <= 8


def test_the_demo_directory_answers_a_typical_search(agency):
    demo_directory(agency)

    results = selectors.service_search(
        agency, category="parenting", language="es", near=HOME, within_miles=25
    )

    assert results.total >= 2
    assert all("es" in [lang.code for lang in h.service.languages.all()] for h in results.hits)
    distances = [h.distance for h in results.hits]
    assert distances == sorted(distances)


def test_place_of_a_zip_code_is_the_middle_of_the_directorys_locations_there(agency):
    make_service(agency, at=(47.20, -122.40), postal_code="98402")
    make_service(agency, at=(47.30, -122.50), postal_code="98402-1234")
    make_service(agency, at=(48.00, -123.00), postal_code="98999")

    place = selectors.place_of_postal_code(agency=agency, postal_code="98402")

    assert place == pytest.approx((47.25, -122.45))
    assert selectors.place_of_postal_code(agency=agency, postal_code="10001") is None


def test_place_of_a_family_is_its_parents_home(caseworker):
    case = open_case(worker=caseworker)
    assert selectors.place_of_family(case=case) == (38.6, -90.2)

    parent = case.participants.get(role=ParticipantRole.PARENT).person
    parent.address.latitude = parent.address.longitude = None
    parent.address.save()
    assert selectors.place_of_family(case=case) is None


def test_bounding_box_near_the_poles_spans_every_longitude():
    south, north, west, east = selectors.bounding_box(89.5, 10.0, 100)

    assert (north, west, east) == (90.0, -180.0, 180.0)
    assert south < 89.5
