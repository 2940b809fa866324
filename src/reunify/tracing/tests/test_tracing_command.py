"""`reunify tracing match` and `reunify tracing train` end to end on small files."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from reunify.tracing import synthetic
from reunify.tracing.matching.csv_input import CHILDREN_COLUMNS, REQUESTS_COLUMNS


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("tracing", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def files(tmp_path):
    data = synthetic.generate(120, seed=4)
    children, requests = tmp_path / "children.csv", tmp_path / "requests.csv"
    data.write_csv(children, requests)
    return data, children, requests


def _pairs(path):
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_match_writes_sorted_pairs_above_the_threshold(files, tmp_path):
    data, children, requests = files
    out_path = tmp_path / "pairs.csv"
    out, err = _run(
        "match", "--children", str(children), "--requests", str(requests), "--out", str(out_path)
    )
    rows = _pairs(out_path)
    assert list(rows[0]) == ["request_id", "child_id", "score"]
    keys = [(r["request_id"], -float(r["score"]), r["child_id"]) for r in rows]
    assert keys == sorted(keys)
    assert all(float(r["score"]) >= 0.5 for r in rows)
    assert len({(r["request_id"], r["child_id"]) for r in rows}) == len(rows)
    found = {(r["request_id"], r["child_id"]) for r in rows}
    assert len(found & data.truth) / len(data.truth) > 0.85
    assert f"{len(rows)} pairs at or above 0.5" in out
    assert err == ""


def test_train_option_falls_back_to_the_shipped_model_on_small_files(files, tmp_path):
    _, children, requests = files
    _, err = _run(
        "match",
        "--children",
        str(children),
        "--requests",
        str(requests),
        "--out",
        str(tmp_path / "pairs.csv"),
        "--train",
    )
    assert "shipped model" in err


def test_threshold_and_model_options(files, tmp_path):
    _, children, requests = files
    low, high = tmp_path / "low.csv", tmp_path / "high.csv"
    base = ["match", "--children", str(children), "--requests", str(requests), "--model", "default"]
    _run(*base, "--out", str(low), "--threshold", "0.1")
    _run(*base, "--out", str(high), "--threshold", "0.99")
    assert len(_pairs(low)) >= len(_pairs(high))
    assert all(float(r["score"]) >= 0.99 for r in _pairs(high))


def test_malformed_rows_are_reported_not_crashed_on(files, tmp_path):
    _, children, requests = files
    lines = children.read_text(encoding="utf-8").splitlines()
    bad = [
        "C9001,Amina,Hassan,,X,,9,2024-03-02,Somalia;Bay,,,,,,,",  # bad sex
        "C9002,Amina,Hassan,,F,2015-02-30,,2024-03-02,Somalia;Bay,,,,,,,",  # bad date
        ",Amina,Hassan,,F,,9,2024-03-02,Somalia;Bay,,,,,,,",  # missing id
        "C9003,Amina,Hassan,,F,,nine,2024-03-02,Somalia;Bay,,,,,,,",  # age not a number
        "C9004,Amina",  # wrong column count
    ]
    children.write_text("\n".join([*lines, *bad]) + "\n", encoding="utf-8")
    out_path = tmp_path / "pairs.csv"
    _out, err = _run(
        "match", "--children", str(children), "--requests", str(requests), "--out", str(out_path)
    )
    first_bad = len(lines) + 1
    assert f"{children}:{first_bad}: sex: expected M, F or U" in err
    assert f"{children}:{first_bad + 1}: date_of_birth:" in err
    assert f"{children}:{first_bad + 2}: child_id: missing" in err
    assert f"{children}:{first_bad + 3}: age_estimate: not a number" in err
    assert f"{children}:{first_bad + 4}: row: expected 16 fields, found 2" in err
    assert "5 malformed rows skipped" in err
    assert out_path.exists()


def test_missing_or_headerless_files_are_a_clear_error(files, tmp_path):
    _, children, requests = files
    with pytest.raises(CommandError, match="is not a file"):
        _run(
            "match",
            "--children",
            str(tmp_path / "nope.csv"),
            "--requests",
            str(requests),
            "--out",
            str(tmp_path / "p.csv"),
        )
    headless = tmp_path / "headless.csv"
    headless.write_text("R1,Hassan,father\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no header row"):
        _run(
            "match",
            "--children",
            str(children),
            "--requests",
            str(headless),
            "--out",
            str(tmp_path / "p.csv"),
        )
    with pytest.raises(CommandError, match="not a probability"):
        _run(
            "match",
            "--children",
            str(children),
            "--requests",
            str(requests),
            "--out",
            str(tmp_path / "p.csv"),
            "--threshold",
            "2",
        )
    bad_model = tmp_path / "model.json"
    bad_model.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="Cannot read the model"):
        _run(
            "match",
            "--children",
            str(children),
            "--requests",
            str(requests),
            "--out",
            str(tmp_path / "p.csv"),
            "--model",
            str(bad_model),
        )


def test_header_only_files_give_an_empty_result(tmp_path):
    children, requests = tmp_path / "c.csv", tmp_path / "r.csv"
    children.write_text(",".join(CHILDREN_COLUMNS) + "\n", encoding="utf-8")
    requests.write_text(",".join(REQUESTS_COLUMNS) + "\n", encoding="utf-8")
    out_path = tmp_path / "pairs.csv"
    _run("match", "--children", str(children), "--requests", str(requests), "--out", str(out_path))
    assert out_path.read_text(encoding="utf-8").strip() == "request_id,child_id,score"


def test_train_then_match_with_the_trained_model(tmp_path):
    data = synthetic.generate(400, seed=8)
    children, requests = tmp_path / "children.csv", tmp_path / "requests.csv"
    data.write_csv(children, requests)
    model_path = tmp_path / "model.json"
    out, _ = _run(
        "train", "--children", str(children), "--requests", str(requests), "--out", str(model_path)
    )
    assert "Model trained on 400 children" in out
    assert json.loads(model_path.read_text(encoding="utf-8"))["format"].startswith("reunify")
    out_path = tmp_path / "pairs.csv"
    _run(
        "match",
        "--children",
        str(children),
        "--requests",
        str(requests),
        "--out",
        str(out_path),
        "--model",
        str(model_path),
    )
    found = {(r["request_id"], r["child_id"]) for r in _pairs(out_path)}
    assert len(found & data.truth) / len(data.truth) > 0.85


def test_train_refuses_too_few_records(files, tmp_path):
    _, children, requests = files
    with pytest.raises(CommandError, match="Too few records"):
        _run(
            "train",
            "--children",
            str(children),
            "--requests",
            str(requests),
            "--out",
            str(tmp_path / "m.json"),
        )
