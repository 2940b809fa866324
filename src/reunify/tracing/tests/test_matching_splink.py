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


def test_batch_scores_exactly_the_pairs_sharing_a_blocking_key(data):
    # the blocked pairs handed to Splink are those of the real-time index's keys
    from reunify.tracing.matching.blocking import blocking_keys

    children, requests, _ = data
    kids, sought = children.records[:150], requests.records[:150]
    pairs = splink_engine.predict(kids, sought, MatchModel.default())
    child_keys = {c.record_id: set(blocking_keys(prepare(c))) for c in kids}
    expected = set()
    for request in sought:
        keys = set(blocking_keys(prepare(request)))
        expected |= {
            (request.record_id, cid) for cid, theirs in child_keys.items() if keys & theirs
        }
    scored = {(p.request_record_id, p.child_id) for p in pairs}
    # pairs below the floor weight are dropped, never added
    assert scored <= expected
    assert len(scored) > 0.5 * len(expected)


def test_batch_posteriors_in_sql_equal_the_python_formula(data):
    children, requests, _ = data
    kids, sought = children.records[:150], requests.records[:150]
    model = MatchModel.default()
    pairs = splink_engine.predict(kids, sought, model)
    again = splink_engine.posteriors(
        [ScoredPair(p.request_record_id, p.child_id, 0.0, p.weight) for p in pairs],
        share=model.registered_share,
        children=len(kids),
    )
    assert [round(p.probability, 9) for p in pairs] == [round(p.probability, 9) for p in again]
    kept = splink_engine.predict(kids, sought, model, min_probability=0.5)
    assert {(p.request_record_id, p.child_id) for p in kept} == {
        (p.request_record_id, p.child_id) for p in pairs if p.probability >= 0.5
    }


def test_duckdb_spills_into_a_private_directory_removed_afterwards(monkeypatch):
    import tempfile

    made = []
    real = tempfile.mkdtemp

    def mkdtemp(*args, **kwargs):
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    with splink_engine._session() as db_api:
        settings = dict(
            db_api.duckdb_con.execute(
                "SELECT name, value FROM duckdb_settings() "
                "WHERE name IN ('temp_directory', 'memory_limit')"
            ).fetchall()
        )
        assert settings["temp_directory"] == made[0]
    assert len(made) == 1
    import os

    assert not os.path.exists(made[0])


def test_em_sessions_drop_columns_empty_for_everyone():
    every = {c for s in splink_engine.EM_SESSIONS for c in s}
    assert splink_engine.em_sessions(every) == list(splink_engine.EM_SESSIONS)
    assert splink_engine.em_sessions(every - {"sex", "father_first"}) == [
        ("given_key", "family_key"),
        ("birth_dob",),
    ]
    assert splink_engine.em_sessions({"sex"}) == []


def test_training_survives_a_field_unknown_for_everyone(data):
    # sex unknown everywhere (as in FEBRL4): the birth + sex EM session is narrowed to birth,
    # and sex keeps the shipped parameters instead of failing
    children, requests, _ = data
    kids = [replace(c, sex="U", father_name="") for c in children.records]
    sought = [
        replace(r, sex="U", father_name="", requester_relationship="") for r in requests.records
    ]
    model = splink_engine.train(kids, sought, u_max_pairs=2e5)
    assert model.info["em_sessions"] == ["given_key AND family_key", "birth_dob"]
    assert model.parameters["sex"] == MatchModel.default().parameters["sex"]
    assert 0 < model.prior < 0.01
