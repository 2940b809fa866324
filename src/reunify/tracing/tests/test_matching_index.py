"""The real-time candidate index: same candidates as brute force over the blocking keys, and
scores consistent with the pair scorer (no database)."""

from dataclasses import replace

import pytest

from reunify.tracing import synthetic
from reunify.tracing.matching import CandidateIndex, MatchModel, score_pair
from reunify.tracing.matching.blocking import blocking_keys
from reunify.tracing.matching.csv_input import read_children, read_requests
from reunify.tracing.matching.features import prepare

MODEL = MatchModel.default()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tracing")
    data = synthetic.generate(150, seed=5)
    data.write_csv(folder / "children.csv", folder / "requests.csv")
    return read_children(folder / "children.csv"), read_requests(folder / "requests.csv"), data


def test_index_candidates_equal_brute_force_over_the_blocking_keys(small):
    children, requests, _ = small
    index = CandidateIndex(MODEL, children.records)
    child_keys = {c.record_id: set(blocking_keys(prepare(c))) for c in children.records}
    for request in requests.records:
        keys = set(blocking_keys(prepare(request)))
        expected = {cid for cid, theirs in child_keys.items() if keys & theirs}
        assert index.candidate_ids(request) == expected


def test_index_finds_most_true_pairs(small):
    children, requests, data = small
    index = CandidateIndex(MODEL, children.records)
    found = set()
    for request in requests.records:
        for match in index.candidates(request, min_probability=0.5):
            found.add((requests.request_of[request.record_id], match.child_id))
    assert len(found & data.truth) / len(data.truth) > 0.9
    assert len(found & data.truth) / len(found) > 0.9


def test_candidates_are_sorted_explained_and_limited(small):
    children, requests, _ = small
    index = CandidateIndex(MODEL, children.records)
    request = requests.records[0]
    matches = index.candidates(request, min_probability=0.0, limit=3)
    assert len(matches) <= 3
    assert [m.probability for m in matches] == sorted(
        (m.probability for m in matches), reverse=True
    )
    for match in matches:
        alone = score_pair(
            MODEL, request, next(c for c in children.records if c.record_id == match.child_id)
        )
        assert match.evidence == alone.evidence or len(match.evidence) >= 7
        assert match.request_id == request.record_id


def test_add_replace_and_remove(small):
    children, _requests, _ = small
    index = CandidateIndex(MODEL)
    child = children.records[0]
    index.add(child)
    query = replace(child, record_id="Q1")
    assert [m.child_id for m in index.candidates(query)] == [child.record_id]
    index.add(replace(child, given_name="Zzzyx", family_name="Qqqw", other_names=()))
    assert len(index) == 1
    index.remove(child.record_id)
    index.remove("not-there")
    assert index.candidates(query) == []
    assert len(index) == 0


def test_request_side_index_is_queried_with_a_child(small):
    children, requests, data = small
    index = CandidateIndex(MODEL, requests.records, side="request")
    request_id, child_id = sorted(data.truth)[0]
    child = next(c for c in children.records if c.record_id == child_id)
    found = {requests.request_of[m.request_id] for m in index.candidates(child)}
    assert request_id in found
    assert all(m.child_id == child_id for m in index.candidates(child))


def test_unknown_side_is_refused():
    with pytest.raises(ValueError, match="side"):
        CandidateIndex(MODEL, side="parent")
