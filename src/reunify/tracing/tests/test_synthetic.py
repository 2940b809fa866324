"""The synthetic tracing data: format, determinism, noise rates, and the truth."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import fields

import pytest

from reunify.tracing import synthetic
from reunify.tracing.synthetic import (
    CHILDREN_COLUMNS,
    NOISE_LABELS,
    REQUESTS_COLUMNS,
    Noise,
    generate,
)

# The exact column lists of the exchange format (issue 9).
ISSUE_CHILDREN = [
    *("child_id", "given_name", "family_name", "other_names", "sex", "date_of_birth"),
    *("age_estimate", "registration_date", "place_of_origin", "place_of_separation"),
    *("date_of_separation", "father_name", "mother_name", "caregiver_name", "language"),
    "nationality",
]
ISSUE_REQUESTS = [
    *("request_id", "requester_name", "requester_relationship", "sought_given_name"),
    *("sought_family_name", "sought_other_names", "sought_sex", "sought_date_of_birth"),
    *("sought_age_at_separation", "date_of_separation", "place_of_separation"),
    *("place_of_origin", "father_name", "mother_name", "request_date", "language"),
    "nationality",
]
DATE = re.compile(r"^(\d{4}-\d{2}(-\d{2})?)?$")
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AGE = re.compile(r"^(\d{1,2})?$")


@pytest.fixture(scope="module")
def data() -> synthetic.SyntheticData:
    return generate(4000, seed=7)


def test_columns_are_exactly_the_issue_lists(data):
    assert list(CHILDREN_COLUMNS) == ISSUE_CHILDREN
    assert list(REQUESTS_COLUMNS) == ISSUE_REQUESTS
    assert all(set(row) == set(ISSUE_CHILDREN) for row in data.children)
    assert all(set(row) == set(ISSUE_REQUESTS) for row in data.requests)


def test_values_are_in_the_documented_formats(data):
    for row in data.children:
        assert row["sex"] in {"M", "F", "U"}
        assert DATE.match(row["date_of_birth"])
        assert DATE.match(row["date_of_separation"])
        assert FULL_DATE.match(row["registration_date"])
        assert AGE.match(row["age_estimate"])
        assert row["date_of_birth"] or row["age_estimate"]
    for row in data.requests:
        assert row["sought_sex"] in {"M", "F", "U"}
        assert DATE.match(row["sought_date_of_birth"])
        assert DATE.match(row["date_of_separation"])
        assert FULL_DATE.match(row["request_date"])
        assert AGE.match(row["sought_age_at_separation"])
    places = [
        row[key]
        for rows, keys in (
            (data.children, ("place_of_origin", "place_of_separation")),
            (data.requests, ("place_of_origin", "place_of_separation")),
        )
        for row in rows
        for key in keys
    ]
    assert all(len(place.split(";")) <= 4 for place in places)
    depths = Counter(len(place.split(";")) for place in places if place)
    assert set(depths) == {2, 3, 4}  # different hierarchy depths
    assert any(";;" in place for place in places)  # a level skipped
    values = [v for rows in (data.children, data.requests) for row in rows for v in row.values()]
    assert not any("\n" in value or "," in value for value in values)


def test_exactly_the_requested_number_of_children_with_unique_ids(data):
    assert len(data.children) == 4000
    assert len({row["child_id"] for row in data.children}) == 4000


def test_deterministic_for_a_seed():
    first, again, other = generate(500, seed=3), generate(500, seed=3), generate(500, seed=4)
    assert first.children == again.children
    assert first.requests == again.requests
    assert first.truth == again.truth
    assert first.children != other.children


def test_truth_is_consistent_with_the_rows(data):
    children = {row["child_id"]: row for row in data.children}
    request_ids = {row["request_id"] for row in data.requests}
    assert data.truth
    assert set(data.truth_labels) == data.truth
    for request_id, child_id in data.truth:
        assert child_id in children
        assert request_id in request_ids
        assert data.relation(request_id, child_id) == "match"
        assert data.child_family[child_id] == data.request_family[request_id]
    assert len(data.sought_child) == len(data.requests)
    row_pairs = {
        (row["request_id"], child_id)
        for row, child_id in zip(data.requests, data.sought_child, strict=True)
        if child_id
    }
    assert row_pairs == data.truth


def test_the_shapes_the_issue_asks_for(data):
    rows_per_request = Counter(row["request_id"] for row in data.requests)
    assert any(count > 1 for count in rows_per_request.values())  # siblings sought together
    requests_per_child = Counter(child_id for _, child_id in data.truth)
    assert any(count > 1 for count in requests_per_child.values())  # both parents filed
    matched_requests = {request_id for request_id, _ in data.truth}
    assert len(matched_requests) < len(rows_per_request)  # requests with no registered child
    assert len(requests_per_child) < len(data.children)  # children with no request
    children_of: dict[int, list[str]] = defaultdict(list)
    for child_id, family in data.child_family.items():
        children_of[family].append(child_id)
    relations = Counter(
        data.relation(request_id, child_id)
        for request_id, family in data.request_family.items()
        for related in (family, data.cousins.get(family))
        for child_id in children_of.get(related, ())
    )
    assert relations["sibling"] > 0  # a request's false pairs with siblings
    assert relations["cousin"] > 0
    traditions = Counter(
        label for labels in data.truth_labels.values() for label in labels if ":" in label
    )
    assert {f"tradition:{name}" for name in synthetic.TRADITIONS} == set(traditions)


def test_very_common_names_recur(data):
    given = Counter(row["given_name"] for row in data.children)
    (top, count), *_ = given.most_common(1)
    assert count > 0.01 * len(data.children), top


def test_noise_rates_are_roughly_as_configured(data):
    noise = Noise()
    children = Counter(label for labels in data.child_labels.values() for label in labels)
    requests = Counter(label for labels in data.request_labels for label in labels)
    n_children, n_rows = len(data.children), len(data.requests)

    def share(counter: Counter[str], label: str, total: int) -> float:
        return counter[label] / total

    assert share(children, "typo", n_children) == pytest.approx(noise.typo, abs=0.02)
    assert share(requests, "typo", n_rows) == pytest.approx(noise.typo, abs=0.02)
    assert share(children, "first_name_only", n_children) == pytest.approx(
        noise.first_name_only, abs=0.02
    )
    assert share(children, "age_only", n_children) == pytest.approx(noise.age_only, abs=0.03)
    assert share(requests, "age_only", n_rows) == pytest.approx(noise.request_age_only, abs=0.03)
    assert children["age_off"] / children["age_only"] == pytest.approx(noise.age_off, abs=0.04)
    assert share(children, "missing_field", n_children) == pytest.approx(
        noise.missing_field, abs=0.02
    )
    # Two places per record, each drawing its own: 1 - (1 - rate)^2 of the records.
    both = 1 - (1 - noise.place_missing) ** 2
    assert share(children, "place_missing", n_children) == pytest.approx(both, abs=0.02)
    assert share(children, "date_missing", n_children) == pytest.approx(
        noise.date_missing, abs=0.02
    )
    assert set(children | requests) <= set(NOISE_LABELS)


def test_configured_rates_are_followed():
    data = generate(3000, seed=2, noise=Noise(typo=0.4, first_name_only=0.3))
    children = Counter(label for labels in data.child_labels.values() for label in labels)
    assert children["typo"] / len(data.children) == pytest.approx(0.4, abs=0.03)
    assert children["first_name_only"] / len(data.children) == pytest.approx(0.3, abs=0.03)


def test_without_noise_a_true_pair_agrees_on_the_child():
    rates = {f.name: 0.0 for f in fields(Noise) if not f.name.endswith(("_rate", "age_only"))}
    data = generate(800, seed=5, noise=Noise(**rates))
    children = {row["child_id"]: row for row in data.children}
    sought = {(row["request_id"], row["sought_given_name"]): row for row in data.requests}
    assert not any(labels - {"age_only"} for labels in data.child_labels.values())
    for request_id, child_id in data.truth:
        child = children[child_id]
        row = sought.get((request_id, child["given_name"]))
        assert row is not None, (request_id, child_id)
        assert row["sought_family_name"] == child["family_name"]
        assert row["sought_sex"] == child["sex"]
        assert row["place_of_origin"] == child["place_of_origin"]
        assert row["date_of_separation"] == child["date_of_separation"]


def test_write_csv_round_trips(tmp_path):
    data = generate(200, seed=1)
    children_csv, requests_csv = tmp_path / "children.csv", tmp_path / "requests.csv"
    data.write_csv(children_csv, requests_csv)
    with children_csv.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ISSUE_CHILDREN
        assert list(reader) == data.children
    with requests_csv.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ISSUE_REQUESTS
        assert [dict(row) for row in reader] == data.requests
