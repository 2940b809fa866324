"""Splink (DuckDB) and the Python comparisons reach the same level on every pair, and the
Splink batch and training run end to end (no database)."""

from dataclasses import replace

import pytest

from reunify.tracing import synthetic
from reunify.tracing.matching import MatchModel, splink_engine
from reunify.tracing.matching.comparisons import COMPARISONS, comparison_levels
from reunify.tracing.matching.csv_input import read_children, read_requests
from reunify.tracing.matching.features import prepare
from reunify.tracing.matching.splink_engine import ScoredPair


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tracing")
    generated = synthetic.generate(400, seed=11)
    generated.write_csv(folder / "children.csv", folder / "requests.csv")
    return read_children(folder / "children.csv"), read_requests(folder / "requests.csv"), generated


def test_splink_comparison_vectors_equal_the_python_levels(data):
    children, requests, _ = data
    kids = children.records[:90]
    sought = requests.records[:90]
    # add the edge cases of the hand-built tests: nickname, swapped, patronymic, no names
    sought = [
        *sought,
        replace(kids[0], record_id="X#1", given_name="Sasha", family_name=kids[0].given_name),
        replace(kids[1], record_id="X#2", given_name="", family_name="", other_names=()),
        replace(kids[2], record_id="X#3", family_name=kids[2].father_name),
    ]
    vectors = splink_engine.comparison_vectors(kids, sought)
    assert len(vectors) == len(kids) * len(sought)
    child_features = {c.record_id: prepare(c) for c in kids}
    request_features = {r.record_id: prepare(r) for r in sought}
    mismatches = [
        key
        for key, vector in vectors.items()
        if vector != comparison_levels(request_features[key[0]], child_features[key[1]])
    ]
    assert mismatches == []
    # every level of every comparison occurs in the sample except a few rare ones
    seen = {(i, v[i]) for v in vectors.values() for i in range(len(COMPARISONS))}
    total = sum(len(c.levels) for c in COMPARISONS)
    assert len(seen) >= total - 6


def test_batch_prediction_finds_the_true_pairs(data):
    children, requests, generated = data
    pairs = splink_engine.predict(children.records, requests.records, MatchModel.default())
    best = {}
    for pair in pairs:
        key = (requests.request_of[pair.request_record_id], pair.child_id)
        best[key] = max(best.get(key, 0.0), pair.probability)
    found = {key for key, p in best.items() if p >= 0.5}
    assert len(found & generated.truth) / len(generated.truth) > 0.9
    assert len(found & generated.truth) / len(found) > 0.9


def test_training_gives_a_usable_model(data):
    children, requests, _ = data
    model = splink_engine.train(children.records, requests.records, u_max_pairs=2e5)
    assert 0 < model.prior < 0.01
    assert 0.3 < model.registered_share < 1.0
    weights = dict(zip((c.field for c in COMPARISONS), model.weights, strict=True))
    given = dict(
        zip((level.key for level in COMPARISONS[0].levels), weights["given_name"], strict=False)
    )
    assert given["exact"] > 3 > given["else"]
    assert MatchModel.from_json(model.to_json()).parameters == model.parameters


def test_candidates_of_one_sought_child_compete():
    # two equally strong candidates for one sought child cannot both pass 0.5
    pairs = [ScoredPair("R#1", "C1", 0.0, 30.0), ScoredPair("R#1", "C2", 0.0, 30.0)]
    alone = splink_engine.posteriors(pairs[:1], share=0.9, children=1000)
    both = splink_engine.posteriors(pairs, share=0.9, children=1000)
    assert alone[0].probability > 0.99
    assert [round(p.probability, 3) for p in both] == [0.5, 0.5]


def test_registered_share_is_estimated_from_the_pairs():
    strong = [ScoredPair(f"R#{i}", f"C{i}", 0.0, 40.0) for i in range(80)]
    assert splink_engine.registered_share(strong, requests=100, children=1000) == pytest.approx(
        0.8, abs=0.01
    )
