"""Reading the `reference/cfsr.md` §11 extract: `episodes.csv` and `placements.csv`.

Every malformed row is reported with its file, line (the physical line where the record
starts; the header is line 1) and field. With `strict=True` any problem refuses the whole
extract (`ExtractRefused` lists them all); by default malformed rows are skipped and returned in
`Extract.skipped`. A missing column or an unreadable file is refused either way.

Malformed: a missing or badly formed value (dates are ISO `YYYY-MM-DD`), an unknown discharge
reason or setting, an end before its start, a date of birth after the episode start, a discharge
reason on an episode with no end, a second episode with the same child and start, a placement
whose episode is not in episodes.csv (or was itself skipped), a placement outside its episode
(starting before it or after its discharge, or ending after the discharge), a placement in a
home (any setting but trial home visit, runaway and respite) with no `provider_id`.
Pure (no Django), so the benchmark and the web pages can read extracts the same way.

`engine.load_checked_csv_pair` applies these rules in SQL to large extracts (the command uses it
first and falls back to `read_extract` when it finds a problem, to name it): a rule changed here
must be changed there too; tests/test_engines.py mutates extracts to hold the two together.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reunify.outcomes.indicators import (
    DISCHARGE_REASONS,
    NOT_A_PLACEMENT,
    SETTINGS,
    Episode,
    Placement,
)

EPISODE_FIELDS = ("child_id", "date_of_birth", "episode_start", "episode_end", "discharge_reason")
PLACEMENT_FIELDS = (
    "child_id",
    "episode_start",
    "placement_start",
    "placement_end",
    "setting",
    "provider_id",
)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}, field {self.field}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


class ExtractRefused(Exception):  # noqa: N818 (a refusal, not a bug)
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


@dataclass
class Extract:
    episodes: list[Episode] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


class _Bad(Exception):  # noqa: N818
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message


def _rows(path: Path, fields: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for each record; refuses a file that lacks a column."""
    name = str(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise ExtractRefused(
            [Problem(name, 0, "-", f"cannot be read ({error.strerror})")]
        ) from error
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [f for f in fields if f not in header]
        if missing:
            raise ExtractRefused(
                [Problem(name, 1, f, "column missing from the header") for f in missing]
            )
        line = reader.line_num + 1
        try:
            for row in reader:
                yield line, row
                line = reader.line_num + 1
        except (csv.Error, UnicodeDecodeError) as error:
            raise ExtractRefused(
                [Problem(name, line, "-", f"not readable as CSV ({error})")]
            ) from error


def _text(row: dict[str, str], name: str) -> str:
    value = row.get(name)
    return "" if value is None else value.strip()


def _required_date(row: dict[str, str], name: str) -> date:
    value = _date(row, name)
    if value is None:
        raise _Bad(name, "is empty")
    return value


def _date(row: dict[str, str], name: str) -> date | None:
    value = _text(row, name)
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise _Bad(name, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _episode(row: dict[str, str]) -> Episode:
    child = _text(row, "child_id")
    if not child:
        raise _Bad("child_id", "is empty")
    dob = _required_date(row, "date_of_birth")
    start = _required_date(row, "episode_start")
    end = _date(row, "episode_end")
    reason = _text(row, "discharge_reason")
    if reason and reason not in DISCHARGE_REASONS:
        raise _Bad("discharge_reason", f"{reason!r} is not a known discharge reason")
    if dob > start:
        raise _Bad("date_of_birth", f"{dob} is after the episode start {start}")
    if end is not None and end < start:
        raise _Bad("episode_end", f"{end} is before the episode start {start}")
    if end is None and reason:
        raise _Bad("discharge_reason", "is given for an episode with no end")
    return Episode(child, dob, start, end, reason or None)


def _placement(row: dict[str, str], episodes: dict[tuple[str, date], Episode]) -> Placement:
    child = _text(row, "child_id")
    if not child:
        raise _Bad("child_id", "is empty")
    episode_start = _required_date(row, "episode_start")
    start = _required_date(row, "placement_start")
    end = _date(row, "placement_end")
    setting = _text(row, "setting")
    provider = _text(row, "provider_id")
    if setting not in SETTINGS:
        raise _Bad("setting", f"{setting!r} is not a known setting")
    if end is not None and end < start:
        raise _Bad("placement_end", f"{end} is before the placement start {start}")
    episode = episodes.get((child, episode_start))
    if episode is None:
        raise _Bad("episode_start", f"no episode of child {child!r} starts on {episode_start}")
    if start < episode.start:
        raise _Bad("placement_start", f"{start} is before its episode starts ({episode.start})")
    if episode.end is not None and start > episode.end:
        raise _Bad("placement_start", f"{start} is after its episode ends ({episode.end})")
    if episode.end is not None and end is not None and end > episode.end:
        raise _Bad("placement_end", f"{end} is after its episode ends ({episode.end})")
    if not provider and setting not in NOT_A_PLACEMENT:
        raise _Bad("provider_id", f"is empty for a {setting} placement")
    return Placement(child, episode_start, start, end, setting, provider)


def read_extract(episodes_csv: Path, placements_csv: Path, *, strict: bool = False) -> Extract:
    extract = Extract()
    problems: list[Problem] = []
    known: dict[tuple[str, date], Episode] = {}
    name = str(episodes_csv)
    for line, row in _rows(episodes_csv, EPISODE_FIELDS):
        try:
            episode = _episode(row)
            if (episode.child_id, episode.start) in known:
                raise _Bad("episode_start", "repeats an episode of the same child and start")
        except _Bad as bad:
            problems.append(Problem(name, line, bad.field, bad.message))
            continue
        known[(episode.child_id, episode.start)] = episode
        extract.episodes.append(episode)
    name = str(placements_csv)
    for line, row in _rows(placements_csv, PLACEMENT_FIELDS):
        try:
            extract.placements.append(_placement(row, known))
        except _Bad as bad:
            problems.append(Problem(name, line, bad.field, bad.message))
    if strict and problems:
        raise ExtractRefused(problems)
    extract.skipped = problems
    return extract
