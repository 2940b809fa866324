"""Splink-only baseline for family tracing (issue 9; run by benchmarks/tracing_match.py).

What a competent engineer would build with Splink 5 alone on the raw exchange files, with no
tracing-specific normalisation: no transliteration or nickname tables, no place hierarchy, no
partial dates. The only preparation is the generic kind any Splink user does: empty strings
become nulls, the two files get the same column names, and a birth year is derived from the
date of birth or, failing that, from the age and its reference date (registration date for a
child, date of separation or else request date for a request), because the two sides give
ages at different dates.

Model (Splink 5, DuckDB, link_only, one row per sought child on the request side):

- Comparisons: `NameComparison` (exact with term frequencies, Jaro-Winkler 0.92 / 0.88 / 0.7)
  on given and family name; `DateOfBirthComparison` on the date of birth (full dates only;
  `YYYY-MM` fails to parse and counts as null); birth year exact / within 1 / within 3;
  exact sex; Levenshtein (<= 2, <= 6) on each place string as written
  (`country;region;district;village`); absolute date difference (exact, <= 7 days, <= 1
  month, <= 3 months) on the date of separation; Jaro-Winkler (0.9, 0.7) on the father's and
  the mother's names; exact nationality.
- Blocking for prediction (each rule exact on the raw values): given + family name; given
  name + birth year; family name + birth year; date of birth; father + mother name; place of
  origin + birth year; given + mother name; given name + place of separation; date of
  separation + place of origin. (About 6 million pairs at 100,000 children; looser rules
  such as the first three letters of both names add 4.4 million more.)
- Training: prior from deterministic rules (given + family name + date of birth, assumed
  recall 0.5); u by random sampling (`max_pairs=1e7`, as in reference/linkage.md); m by EM in
  three sessions (blocked on given + family name, on date of birth, on place of origin +
  birth year), so that every comparison is estimated at least once.
- Prediction at `threshold_match_probability` (0.5); a request's rows are collapsed to the
  best score per (request_id, child_id), as the batch command does.

`link(children_csv, requests_csv)` returns those pairs with the time of each phase.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

SEED = 1
U_MAX_PAIRS = 1e7

CHILD_COLUMNS = {
    "child_id": "record_id",
    "given_name": "given_name",
    "family_name": "family_name",
    "sex": "sex",
    "date_of_birth": "dob",
    "age_estimate": "age",
    "registration_date": "age_date",
    "place_of_origin": "place_of_origin",
    "place_of_separation": "place_of_separation",
    "date_of_separation": "date_of_separation",
    "father_name": "father_name",
    "mother_name": "mother_name",
    "nationality": "nationality",
}
REQUEST_COLUMNS = {
    "request_id": "record_id",
    "sought_given_name": "given_name",
    "sought_family_name": "family_name",
    "sought_sex": "sex",
    "sought_date_of_birth": "dob",
    "sought_age_at_separation": "age",
    "place_of_origin": "place_of_origin",
    "place_of_separation": "place_of_separation",
    "date_of_separation": "date_of_separation",
    "father_name": "father_name",
    "mother_name": "mother_name",
    "nationality": "nationality",
}


@dataclass
class BaselineResult:
    pairs: dict[tuple[str, str], float]  # (request_id, child_id) -> best match probability
    seconds: dict[str, float] = field(default_factory=dict)  # per phase
    rows_at_threshold: int = 0  # scored request-row x child pairs at or above the threshold


def _year(text: pd.Series) -> pd.Series:
    return pd.to_numeric(text.str.slice(0, 4), errors="coerce")


def _prepare(frame: pd.DataFrame, columns: dict[str, str], *, side: str) -> pd.DataFrame:
    if side == "request":
        # A request's age is at separation (or, without that date, at the request).
        frame = frame.assign(
            age_date=frame["date_of_separation"].where(
                frame["date_of_separation"] != "", frame["request_date"]
            )
        )
        columns = {**columns, "age_date": "age_date"}
    out = frame[list(columns)].rename(columns=columns)
    if side == "request":  # one row per sought child: a unique id per row
        out["unique_id"] = "r" + out.index.astype(str)
    else:
        out["unique_id"] = "c" + out["record_id"]
    age = pd.to_numeric(out["age"], errors="coerce")
    out["birth_year"] = _year(out["dob"]).fillna(_year(out["age_date"]) - age).astype("Int64")
    out = out.drop(columns=["age", "age_date"])
    return out.replace("", None)


def _settings() -> SettingsCreator:
    birth_year = cl.CustomComparison(
        [
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("birth_year"),
            cll.AbsoluteDifferenceLevel("birth_year", 1),
            cll.AbsoluteDifferenceLevel("birth_year", 3),
            cll.ElseLevel(),
        ],
        output_column_name="birth_year",
    )
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("family_name"),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
            birth_year,
            cl.ExactMatch("sex"),
            cl.LevenshteinAtThresholds("place_of_origin", [2, 6]),
            cl.LevenshteinAtThresholds("place_of_separation", [2, 6]),
            cl.AbsoluteDateDifferenceAtThresholds(
                "date_of_separation",
                input_is_string=True,
                metrics=["day", "month", "month"],
                thresholds=[7, 1, 3],
                datetime_format="%Y-%m-%d",
            ),
            cl.JaroWinklerAtThresholds("father_name", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("mother_name", [0.9, 0.7]),
            cl.ExactMatch("nationality"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "family_name"),
            block_on("given_name", "birth_year"),
            block_on("family_name", "birth_year"),
            block_on("dob"),
            block_on("father_name", "mother_name"),
            block_on("place_of_origin", "birth_year"),
            block_on("given_name", "mother_name"),
            block_on("given_name", "place_of_separation"),
            block_on("date_of_separation", "place_of_origin"),
        ],
        additional_columns_to_retain=["record_id"],
        retain_matching_columns=False,
    )


def read(children_csv: str | Path, requests_csv: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    options = {"dtype": str, "keep_default_na": False, "encoding": "utf-8"}
    children = _prepare(pd.read_csv(children_csv, **options), CHILD_COLUMNS, side="child")
    requests = _prepare(pd.read_csv(requests_csv, **options), REQUEST_COLUMNS, side="request")
    return children, requests


def link(
    children_csv: str | Path, requests_csv: str | Path, *, threshold: float = 0.5
) -> BaselineResult:
    logging.getLogger("splink").setLevel(logging.WARNING)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    children, requests = read(children_csv, requests_csv)
    seconds["read"] = time.perf_counter() - started

    started = time.perf_counter()
    db_api = DuckDBAPI()
    tables = [
        db_api.register(children, table_name="children"),
        db_api.register(requests, table_name="requests"),
    ]
    linker = Linker(tables, _settings(), log_level=logging.WARNING)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "dob")], recall=0.5
    )
    seconds["prior"] = time.perf_counter() - started

    started = time.perf_counter()
    training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=SEED)
    seconds["u"] = time.perf_counter() - started

    started = time.perf_counter()
    for rule in (
        block_on("given_name", "family_name"),
        block_on("dob"),
        block_on("place_of_origin", "birth_year"),
    ):
        training.estimate_parameters_using_expectation_maximisation(rule)
    seconds["em"] = time.perf_counter() - started

    started = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    frame = predictions.as_pandas_dataframe()
    seconds["predict"] = time.perf_counter() - started

    # Which side is _l and which _r depends on Splink's ordering of the source datasets.
    left_is_child = frame["unique_id_l"].str.startswith("c")
    child = frame["record_id_l"].where(left_is_child, frame["record_id_r"])
    request = frame["record_id_r"].where(left_is_child, frame["record_id_l"])
    best = (
        pd.DataFrame({"request": request, "child": child, "p": frame["match_probability"]})
        .groupby(["request", "child"])["p"]
        .max()
    )
    pairs = {(str(r), str(c)): float(p) for (r, c), p in best.items() if p >= threshold}
    return BaselineResult(pairs=pairs, seconds=seconds, rows_at_threshold=len(frame))
