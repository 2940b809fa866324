"""Reading children.csv / requests.csv: records, and malformed rows as file:line: field."""

import pytest

from reunify.tracing.matching import PartialDate
from reunify.tracing.matching.csv_input import (
    CHILDREN_COLUMNS,
    REQUESTS_COLUMNS,
    CsvFileError,
    read_children,
    read_requests,
)

CHILD_ROW = {
    "child_id": "C1",
    "given_name": "Amina",
    "family_name": "Hassan",
    "other_names": "Mina; Ami",
    "sex": "F",
    "date_of_birth": "",
    "age_estimate": "9",
    "registration_date": "2024-03-02",
    "place_of_origin": "Somalia;Bay;Baidoa;",
    "place_of_separation": "Kenya;;Dadaab",
    "date_of_separation": "2023-05",
    "father_name": "Hassan Ali",
    "mother_name": "",
    "caregiver_name": "",
    "language": "so",
    "nationality": "SO",
}


def _write(path, columns, rows):
    lines = [",".join(columns)]
    for row in rows:
        lines.append(",".join(row.get(column, "") for column in columns))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_children_rows_become_records(tmp_path):
    path = _write(tmp_path / "children.csv", CHILDREN_COLUMNS, [CHILD_ROW])
    result = read_children(path)
    assert result.errors == []
    (child,) = result.records
    assert child.record_id == "C1"
    assert child.other_names == ("Mina", "Ami")
    assert child.place_of_origin == ("Somalia", "Bay", "Baidoa", "")
    assert child.place_of_separation == ("Kenya", "", "Dadaab", "")
    assert child.date_of_separation == PartialDate(2023, 5)
    assert child.age_estimate == 9
    assert child.reference_date.isoformat() == "2024-03-02"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("child_id", "", "child_id: missing"),
        ("sex", "X", "sex: expected M, F or U"),
        ("date_of_birth", "2015-13-01", "date_of_birth: month out of range"),
        ("date_of_separation", "May 2023", "date_of_separation: not a date"),
        ("age_estimate", "nine", "age_estimate: not a number"),
        ("age_estimate", "-1", "age_estimate: expected an age"),
        ("place_of_origin", "a;b;c;d;e", "place_of_origin: expected at most 4 parts"),
    ],
)
def test_malformed_child_rows_are_reported_and_skipped(tmp_path, column, value, message):
    bad = {**CHILD_ROW, "child_id": "C2", column: value}
    path = _write(tmp_path / "children.csv", CHILDREN_COLUMNS, [CHILD_ROW, bad])
    result = read_children(path)
    assert [r.record_id for r in result.records] == ["C1"]
    assert result.errors == [f"{path}:3: {message}"] or result.errors[0].startswith(
        f"{path}:3: {message}"
    )


def test_a_row_with_the_wrong_number_of_fields(tmp_path):
    path = tmp_path / "children.csv"
    path.write_text(",".join(CHILDREN_COLUMNS) + "\nC1,Amina\n", encoding="utf-8")
    result = read_children(path)
    assert result.records == []
    assert result.errors == [f"{path}:2: row: expected 16 fields, found 2"]


def test_duplicate_child_ids(tmp_path):
    path = _write(tmp_path / "children.csv", CHILDREN_COLUMNS, [CHILD_ROW, CHILD_ROW])
    assert read_children(path).errors == [f"{path}:3: child_id: duplicate 'C1'"]


def test_requests_keep_one_record_per_sought_child(tmp_path):
    row = dict.fromkeys(REQUESTS_COLUMNS, "")
    rows = [
        dict(
            row,
            request_id="R1",
            sought_given_name="Amina",
            sought_age_at_separation="8",
            date_of_separation="2023-05",
            requester_name="Hassan Ali",
            requester_relationship="father",
        ),
        dict(row, request_id="R1", sought_given_name="Hodan"),
        dict(row, request_id="", sought_given_name="Nobody"),
    ]
    path = _write(tmp_path / "requests.csv", REQUESTS_COLUMNS, rows)
    result = read_requests(path)
    assert [r.record_id for r in result.records] == ["R1#1", "R1#2"]
    assert result.request_of == {"R1#1": "R1", "R1#2": "R1"}
    assert result.records[0].reference_date.isoformat() == "2023-05-15"
    assert result.records[0].requester_relationship == "father"
    assert result.errors == [f"{path}:4: request_id: missing"]


def test_missing_file_empty_file_and_missing_header(tmp_path):
    with pytest.raises(CsvFileError, match="cannot open"):
        read_children(tmp_path / "nope.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(CsvFileError, match="empty"):
        read_children(empty)
    headless = tmp_path / "headless.csv"
    headless.write_text("C1,Amina,Hassan\n", encoding="utf-8")
    with pytest.raises(CsvFileError, match="no header row"):
        read_children(headless)
    partial = tmp_path / "partial.csv"
    partial.write_text("child_id,given_name\nC1,Amina\n", encoding="utf-8")
    with pytest.raises(CsvFileError, match="missing columns: family_name"):
        read_children(partial)


def test_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (",".join(CHILDREN_COLUMNS) + "\nC1,Jos\xe9" + "," * 14 + "\n").encode("latin-1")
    )
    with pytest.raises(CsvFileError, match="UTF-8"):
        read_children(path)
