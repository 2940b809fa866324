"""Reading the §11 CSV pair: malformed rows named by file, line and field; skipped and counted
by default, the whole extract refused with strict=True."""

from __future__ import annotations

from datetime import date

import pytest

from reunify.outcomes.extract import ExtractRefused, Problem, read_extract
from reunify.outcomes.indicators import Episode, Placement

EPISODES = """\
child_id,date_of_birth,episode_start,episode_end,discharge_reason
A,2015-01-01,2023-01-10,2023-06-01,reunification
B,2015-01-01,2023-13-01,,
C,2015-01-01,2023-02-01,2023-01-01,reunification
D,2015-01-01,2023-02-01,2023-05-01,went_home
E,2024-01-01,2023-02-01,,
F,2015-01-01,2023-02-01,,reunification
A,2015-01-01,2023-01-10,,
G,2015-01-01,2023-03-01,,
"""
# line 2 A: fine
# line 3 B: month 13                                   -> episode_start
# line 4 C: discharged before the removal              -> episode_end
# line 5 D: unknown discharge reason                   -> discharge_reason
# line 6 E: born after the removal                     -> date_of_birth
# line 7 F: a discharge reason but no discharge        -> discharge_reason
# line 8 A: the same child and start again             -> episode_start
# line 9 G: fine

PLACEMENTS = """\
child_id,episode_start,placement_start,placement_end,setting,provider_id
A,2023-01-10,2023-01-10,2023-03-01,foster_family_nonrelative,F1
A,2023-01-10,2023-03-01,2023-07-01,group_home,G1
A,2023-01-10,2022-12-01,2023-01-20,group_home,G1
A,2023-01-10,2023-06-02,,group_home,G1
Z,2023-01-10,2023-01-10,,group_home,G1
B,2023-13-01,2023-01-10,,group_home,G1
G,2023-03-01,2023-03-01,,spaceship,S
G,2023-03-01,2023-04-01,2023-03-20,group_home,G1
G,2023-03-01,2023-03-01,,group_home,
G,2023-03-01,2023-03-01,,runaway,
G,2023-03-01,03/05/2023,,respite,R
"""
# line 2 A: fine
# line 3 A: ends 2023-07-01, after the episode's discharge on 2023-06-01 -> placement_end
# line 4 A: starts before its episode                                   -> placement_start
# line 5 A: starts after the discharge                                  -> placement_start
# line 6 Z: no such episode                                             -> episode_start
# line 7 B: the episode key is not a date                               -> episode_start
# line 8 G: unknown setting                                             -> setting
# line 9 G: ends before it starts                                       -> placement_end
# line 10 G: a home with no provider                                    -> provider_id
# line 11 G: a runaway record needs no provider: fine
# line 12 G: not an ISO date                                            -> placement_start

EXPECTED = [
    ("episodes.csv", 3, "episode_start"),
    ("episodes.csv", 4, "episode_end"),
    ("episodes.csv", 5, "discharge_reason"),
    ("episodes.csv", 6, "date_of_birth"),
    ("episodes.csv", 7, "discharge_reason"),
    ("episodes.csv", 8, "episode_start"),
    ("placements.csv", 3, "placement_end"),
    ("placements.csv", 4, "placement_start"),
    ("placements.csv", 5, "placement_start"),
    ("placements.csv", 6, "episode_start"),
    ("placements.csv", 7, "episode_start"),
    ("placements.csv", 8, "setting"),
    ("placements.csv", 9, "placement_end"),
    ("placements.csv", 10, "provider_id"),
    ("placements.csv", 12, "placement_start"),
]


@pytest.fixture
def files(tmp_path):
    episodes, placements = tmp_path / "episodes.csv", tmp_path / "placements.csv"
    episodes.write_text(EPISODES)
    placements.write_text(PLACEMENTS)
    return episodes, placements


def _where(problems: list[Problem]) -> list[tuple[str, int, str]]:
    return [(p.file.rsplit("/", 1)[-1], p.line, p.field) for p in problems]


def test_malformed_rows_are_skipped_and_reported_by_default(files):
    extract = read_extract(*files)
    assert _where(extract.skipped) == EXPECTED
    assert extract.episodes == [
        Episode("A", date(2015, 1, 1), date(2023, 1, 10), date(2023, 6, 1), "reunification"),
        Episode("G", date(2015, 1, 1), date(2023, 3, 1)),
    ]
    assert extract.placements == [
        Placement("A", date(2023, 1, 10), date(2023, 1, 10), date(2023, 3, 1), "foster_family_nonrelative", "F1"),
        Placement("G", date(2023, 3, 1), date(2023, 3, 1), None, "runaway", ""),
    ]  # fmt: skip


def test_messages_name_file_line_field_and_value(files):
    extract = read_extract(*files)
    first = extract.skipped[0]
    assert str(first) == (
        f"{files[0]}, line 3, field episode_start: '2023-13-01' is not a date (YYYY-MM-DD)"
    )
    assert "spaceship" in extract.skipped[11].message


def test_strict_refuses_the_whole_extract(files):
    with pytest.raises(ExtractRefused) as refused:
        read_extract(*files, strict=True)
    assert _where(refused.value.problems) == EXPECTED


def test_a_missing_column_refuses_the_file_even_without_strict(tmp_path, files):
    files[1].write_text("child_id,episode_start,placement_start,placement_end,setting\n")
    with pytest.raises(ExtractRefused) as refused:
        read_extract(*files)
    assert _where(refused.value.problems) == [("placements.csv", 1, "provider_id")]


def test_line_numbers_count_physical_lines_when_a_field_spans_lines(tmp_path):
    # A quoted child id with a line break takes lines 2-3; the bad row after it is on line 4.
    episodes, placements = tmp_path / "e.csv", tmp_path / "p.csv"
    episodes.write_text(
        "child_id,date_of_birth,episode_start,episode_end,discharge_reason\n"
        '"X\nY",2015-01-01,2023-01-10,,\n'
        "Q,2015-01-01,2023-01-10,2023-01-01,\n"
    )
    placements.write_text(
        "child_id,episode_start,placement_start,placement_end,setting,provider_id\n"
    )
    extract = read_extract(episodes, placements)
    assert _where(extract.skipped) == [("e.csv", 4, "episode_end")]
    assert extract.episodes[0].child_id == "X\nY"
