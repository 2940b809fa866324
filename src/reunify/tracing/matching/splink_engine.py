"""Splink (DuckDB) as the training and batch engine of the tracing matcher.

The records are prepared in Python (:func:`features.prepare`) into one table per side with the
same derived columns the Python comparisons use; the Splink comparisons are the SQL conditions
of :mod:`comparisons`, level for level, so Splink's comparison vector of a pair equals the
Python one (a test checks this). Training: u by random sampling, m by EM in two sessions (each
fixes the comparison its blocking rule uses; a session whose blocking columns are empty for
everyone is narrowed or skipped), the prior from the EM sessions. Batch: the candidate pairs are
the pairs sharing a key of :func:`blocking.blocking_keys` (the real-time index's keys), joined in
DuckDB and registered with Splink, which scores them (``predict``); the sought-child competition
of :func:`posteriors` is then computed in SQL, so only the pairs worth writing reach Python.

DuckDB runs in a private temporary directory (removed afterwards) with a memory limit, so that a
large batch spills there rather than into the working directory.

No Django here; Splink, DuckDB and pyarrow are imported lazily so that the real-time scorer
does not pay for them.
"""

from __future__ import annotations

import itertools
import logging
import math
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from reunify.tracing.matching.blocking import BLOCKING_RULES, blocking_keys
from reunify.tracing.matching.comparisons import COMPARISONS
from reunify.tracing.matching.features import (
    BOOL_COLUMNS,
    INT_COLUMNS,
    INT_LIST_COLUMNS,
    LIST_COLUMNS,
    SCALAR_COLUMNS,
    Features,
    features_row,
    prepare,
)
from reunify.tracing.matching.model import FAMILY_FIELDS, MatchModel, family_cap
from reunify.tracing.matching.records import TracingRecord

U_MAX_PAIRS = 2e6
U_SEED = 1
EM_MAX_PAIRS = 1e6
PROBABILITY_FLOOR = 1e-6
M_FLOOR = 1e-3
# DuckDB's memory limit: beyond it, DuckDB spills to its private temporary directory.
MEMORY_LIMIT = "1500MB"
# Splink's names of the two input datasets (short, so that DuckDB stores the pair keys inline).
CHILDREN = "c"
REQUESTS = "r"
# Records prepared and loaded into DuckDB at a time.
LOAD_CHUNK = 10_000
# Pairs whose Bayes factor is below 2**FLOOR_WEIGHT are dropped before the posteriors (they
# change no sum noticeably).
FLOOR_WEIGHT = -20.0


@dataclass(frozen=True)
class ScoredPair:
    request_record_id: str
    child_id: str
    probability: float
    weight: float


def input_table(features: Iterable[Features]) -> Any:
    """The Splink input table (a pyarrow Table with an explicit schema)."""
    import pyarrow as pa  # type: ignore[import-untyped]

    fields = [pa.field("unique_id", pa.string())]
    fields += [pa.field(name, pa.string()) for name in SCALAR_COLUMNS]
    fields += [pa.field(name, pa.int64()) for name in INT_COLUMNS]
    fields += [pa.field(name, pa.bool_()) for name in BOOL_COLUMNS]
    fields += [pa.field(name, pa.list_(pa.string())) for name in LIST_COLUMNS]
    fields += [pa.field(name, pa.list_(pa.int64())) for name in INT_LIST_COLUMNS]
    schema = pa.schema(fields)
    rows = [features_row(item) for item in features]
    columns = {name: [row[name] for row in rows] for name in schema.names}
    return pa.table(columns, schema=schema)


def _comparison_settings(model: MatchModel | None) -> list[Any]:
    from splink.comparison_library import CustomComparison

    comparisons = []
    for comparison in COMPARISONS:
        given = model.parameters.get(comparison.field, {}) if model is not None else {}
        levels: list[Any] = []
        last = len(comparison.levels) - 1
        for index, level in enumerate(comparison.levels):
            entry: dict[str, Any] = {
                "sql_condition": "ELSE" if index == last else f"({level.sql})",
                "label_for_charts": level.key,
            }
            if level.is_null:
                entry["is_null_level"] = True
            else:
                # a level without parameters weighs nothing, as in MatchModel
                m, u = given.get(level.key, (1.0, 1.0))
                entry["m_probability"] = min(1.0, max(m, PROBABILITY_FLOOR))
                entry["u_probability"] = min(1.0, max(u, PROBABILITY_FLOOR))
            levels.append(entry)
        comparisons.append(
            CustomComparison(
                comparison_levels=levels,
                output_column_name=comparison.field,
                comparison_description=comparison.description,
            )
        )
    return comparisons


def _blocking_rules() -> list[Any]:
    from splink import block_on

    return [
        block_on(*rule.columns, arrays_to_explode=list(rule.exploded) or None)
        for rule in BLOCKING_RULES
    ]


@contextmanager
def _session() -> Iterator[Any]:
    """A Splink DuckDB API on a fresh in-memory database whose spill files go to a private
    temporary directory, removed afterwards."""
    import duckdb
    from splink import DuckDBAPI

    folder = tempfile.mkdtemp(prefix="reunify-tracing-duckdb-")
    connection = duckdb.connect(
        config={
            "temp_directory": folder,
            "memory_limit": MEMORY_LIMIT,
            "preserve_insertion_order": False,
        }
    )
    try:
        yield DuckDBAPI(connection=connection)
    finally:
        connection.close()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class _Inputs:
    """The tables of a session, registered once and shared by every linker: the Splink input
    tables, and per side the blocking keys (``key``: a key of :func:`blocking.blocking_keys`
    hashed to an integer, ``row``) and the Splink pair key of each row (``row``, ``join_key``)."""

    n_children: int
    n_requests: int
    children: str = "__reunify_children"
    requests: str = "__reunify_requests"
    child_keys: str = "__reunify_children_keys"
    request_keys: str = "__reunify_requests_keys"
    child_ids: str = "__reunify_children_ids"
    request_ids: str = "__reunify_requests_ids"


def _register_inputs(
    db_api: Any, children: Iterable[TracingRecord], requests: Iterable[TracingRecord]
) -> _Inputs:
    """Prepare the records and load the tables of :class:`_Inputs` into DuckDB, a chunk at a
    time (the features of 100,000 records would hold a gigabyte in Python)."""
    connection = db_api.duckdb_con
    sizes = []
    for side, dataset, records in (
        ("children", CHILDREN, children),
        ("requests", REQUESTS, requests),
    ):
        iterator = iter(records)
        offset = 0
        while True:
            chunk = [prepare(record) for record in itertools.islice(iterator, LOAD_CHUNK)]
            if chunk or offset == 0:
                _load_chunk(connection, side, dataset, chunk, offset, create=offset == 0)
            offset += len(chunk)
            if len(chunk) < LOAD_CHUNK:
                break
        sizes.append(offset)
    return _Inputs(n_children=sizes[0], n_requests=sizes[1])


def _load_chunk(
    connection: Any,
    side: str,
    dataset: str,
    features: Sequence[Features],
    offset: int,
    *,
    create: bool,
) -> None:
    import pyarrow as pa

    hashes: list[int] = []
    rows: list[int] = []
    for row, item in enumerate(features, start=offset):
        for key in set(blocking_keys(item)):
            hashes.append(hash(key))
            rows.append(row)
    keys = pa.table({"key": pa.array(hashes, pa.int64()), "row": pa.array(rows, pa.int32())})
    ids = pa.table(
        {
            "row": pa.array(range(offset, offset + len(features)), pa.int32()),
            # Splink's key of a record in a pair: source dataset, separator, unique id
            "join_key": pa.array(
                [f"{dataset}-__-{item.record.record_id}" for item in features], pa.string()
            ),
        }
    )
    for name, table in (
        (f"__reunify_{side}", input_table(features)),
        (f"__reunify_{side}_keys", keys),
        (f"__reunify_{side}_ids", ids),
    ):
        connection.register(f"{name}_arrow", table)
        if create:
            _run(connection, f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")  # noqa: S608
        else:
            _run(connection, f"INSERT INTO {name} SELECT * FROM {name}_arrow")  # noqa: S608
        connection.unregister(f"{name}_arrow")


def _run(connection: Any, sql: str) -> list[Any]:
    """Run SQL built only from this module's table names, column names and numbers (never
    from input data) and return its rows."""
    return list(connection.execute(sql).fetchall())


_LINKERS = [0]


def _linker(
    db_api: Any,
    inputs: _Inputs,
    model: MatchModel | None,
    prior: float,
    *,
    cartesian: bool = False,
) -> Any:
    from splink import Linker, SettingsCreator

    logging.getLogger("splink").setLevel(logging.ERROR)
    _LINKERS[0] += 1
    number = _LINKERS[0]
    tables = [
        db_api.register(
            inputs.children, dataset_display_name=CHILDREN, table_name=f"children_{number}"
        ),
        db_api.register(
            inputs.requests, dataset_display_name=REQUESTS, table_name=f"requests_{number}"
        ),
    ]
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior,
        comparisons=_comparison_settings(model),
        blocking_rules_to_generate_predictions=(
            [{"blocking_rule": "1=1"}] if cartesian else _blocking_rules()
        ),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=cartesian,
    )
    return Linker(tables, settings, log_level=logging.ERROR)


def _model_from_linker(linker: Any, fallback: MatchModel, info: dict[str, Any]) -> MatchModel:
    trained = linker.misc.save_model_to_json()
    parameters: dict[str, dict[str, tuple[float, float]]] = {}
    for comparison in trained["comparisons"]:
        field = comparison["output_column_name"]
        previous = fallback.parameters.get(field, {})
        levels: dict[str, tuple[float, float]] = {}
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            key = level["label_for_charts"]
            m = level.get("m_probability")
            u = level.get("u_probability")
            old_m, old_u = previous.get(key, (None, None))
            m_value = _usable(m, old_m)
            if m_value is not None:
                # a kind of disagreement never seen among the training matches (a wrong sex)
                # still happens: never let one field veto a match outright
                m_value = max(m_value, M_FLOOR)
            u_value = _usable(u, old_u)
            if m_value is not None and u_value is not None:
                levels[key] = (m_value, u_value)
        parameters[field] = levels
    prior = float(trained["probability_two_random_records_match"])
    return MatchModel(prior=prior, parameters=parameters, info=info)


def _usable(value: Any, fallback: float | None) -> float | None:
    if isinstance(value, int | float) and not math.isnan(value) and value > 0:
        return float(value)
    return fallback


# Two EM sessions, each blocking on something that singles out one child rather than a family
# or a common name: on the given name alone (and, at 10,000 children, on given and family name)
# EM converged on another latent class and birth lost its weight. The first fixes the names and
# the father's name and trains the rest; the second fixes birth and sex and trains the names
# and parents.
EM_SESSIONS: tuple[tuple[str, ...], ...] = (
    ("given_key", "family_key", "father_first"),
    ("birth_dob", "sex"),
)
_LIST_COLUMN_SET = frozenset(LIST_COLUMNS + INT_LIST_COLUMNS)


def _filled_columns(db_api: Any, inputs: _Inputs, columns: Iterable[str]) -> set[str]:
    """Of ``columns``, those with a value in at least one record of each side."""
    connection = db_api.duckdb_con
    filled = set()
    for column in columns:
        test = f"len({column}) > 0" if column in _LIST_COLUMN_SET else f"{column} IS NOT NULL"
        if all(
            _run(connection, f"SELECT 1 FROM {table} WHERE {test} LIMIT 1")  # noqa: S608
            for table in (inputs.children, inputs.requests)
        ):
            filled.add(column)
    return filled


def em_sessions(filled: set[str]) -> list[tuple[str, ...]]:
    """The EM sessions to run, without the columns empty on a side (sex unknown for
    everyone); a session left with nothing singling out a child is dropped."""
    sessions = []
    for columns in EM_SESSIONS:
        kept = tuple(column for column in columns if column in filled)
        if kept and kept[0] == columns[0]:
            sessions.append(kept)
    return sessions


def _train_m_u(
    linker: Any, db_api: Any, inputs: _Inputs, *, u_max_pairs: float, seed: int
) -> dict[str, list[str]]:
    """Train u and m in place; returns the EM sessions run and skipped (their blocking
    columns joined by " AND ")."""
    from splink import block_on
    from splink.internals.exceptions import SplinkException

    linker.training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
    wanted = {column for columns in EM_SESSIONS for column in columns}
    sessions = em_sessions(_filled_columns(db_api, inputs, wanted))
    run: list[str] = []
    skipped = [
        " AND ".join(columns)
        for columns in EM_SESSIONS
        if not any(columns[0] == kept[0] for kept in sessions)
    ]
    for columns in sessions:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*columns), max_pairs=EM_MAX_PAIRS
            )
            run.append(" AND ".join(columns))
        except (ValueError, SplinkException):
            # No pairs under the rule, or Splink refuses an m of exactly 0 (EM reaches it on
            # small inputs when a level never occurs among the matches): that session's m
            # values keep their start values (the shipped model's).
            skipped.append(" AND ".join(columns))
    return {"em_sessions": run, "em_sessions_skipped": skipped}


def train(
    children: Iterable[TracingRecord],
    requests: Iterable[TracingRecord],
    *,
    u_max_pairs: float = U_MAX_PAIRS,
    seed: int = U_SEED,
) -> MatchModel:
    """Train the model on an agency's records: u by random sampling, m by EM (Splink), and
    the share of sought children who are registered by EM over the blocked pairs."""
    model, _ = train_and_predict(
        children, requests, u_max_pairs=u_max_pairs, seed=seed, min_probability=None
    )
    return model


def train_and_predict(
    children: Iterable[TracingRecord],
    requests: Iterable[TracingRecord],
    *,
    u_max_pairs: float = U_MAX_PAIRS,
    seed: int = U_SEED,
    min_probability: float | None = 0.0,
) -> tuple[MatchModel, list[ScoredPair]]:
    """Train on the records, then score them (one DuckDB session for both); only pairs with
    a probability of at least ``min_probability`` are returned (None: no pairs, the share of
    registered sought children is still estimated)."""
    with _session() as db_api:
        inputs = _register_inputs(db_api, children, requests)
        start = MatchModel.default()
        linker = _linker(db_api, inputs, start, start.prior)
        sessions = _train_m_u(linker, db_api, inputs, u_max_pairs=u_max_pairs, seed=seed)
        info: dict[str, Any] = {
            "source": "splink training",
            "children": inputs.n_children,
            "requests": inputs.n_requests,
            "u_max_pairs": u_max_pairs,
            **{key: value for key, value in sessions.items() if value},
        }
        trained = _model_from_linker(linker, start, info)
        # a fresh linker with the trained parameters (a failed EM session can leave the
        # linker's settings half-swapped)
        linker = _linker(db_api, inputs, trained, trained.prior)
        totals = _score(db_api, linker, inputs, trained.prior)
        share = registered_share_from_totals(
            totals, requests=inputs.n_requests, children=inputs.n_children
        )
        info["registered_share"] = share
        model = MatchModel(
            prior=_prior(share, inputs.n_children), parameters=trained.parameters, info=info
        )
        pairs = (
            []
            if min_probability is None
            else _posteriors_sql(
                db_api, share=share, children=inputs.n_children, min_probability=min_probability
            )
        )
    return model, pairs


def _prior(share: float, children: int) -> float:
    return min(0.5, max(share, 1e-6) / max(children, 1))


def registered_share(
    pairs: Sequence[ScoredPair],
    *,
    requests: int,
    children: int,
    start: float = 0.5,
    rounds: int = 50,
) -> float:
    """EM estimate of the share of sought children who are among the registered children.

    The mixture: a sought child is unregistered (1 - share) or any one registered child with
    equal prior; ``pairs`` carry the Bayes factors (log2) of the blocked candidates.
    """
    totals = [sum(bayes) for bayes in _by_sought_child(pairs).values()]
    return registered_share_from_totals(
        totals, requests=requests, children=children, start=start, rounds=rounds
    )


def registered_share_from_totals(
    totals: Sequence[float],
    *,
    requests: int,
    children: int,
    start: float = 0.5,
    rounds: int = 50,
) -> float:
    """:func:`registered_share` from the sum of the Bayes factors (not logs) of each sought
    child's blocked candidates."""
    if requests <= 0 or children <= 0:
        return start
    share = start
    for _ in range(rounds):
        factor = share / children
        total = 0.0
        for bayes in totals:
            mass = factor * bayes
            total += mass / ((1.0 - share) + mass)
        new = min(0.999, max(1e-4, total / requests))
        if abs(new - share) < 1e-6:
            return new
        share = new
    return share


def _by_sought_child(pairs: Iterable[ScoredPair]) -> dict[str, list[float]]:
    groups: dict[str, list[float]] = {}
    for pair in pairs:
        groups.setdefault(pair.request_record_id, []).append(_factor(pair.weight))
    return groups


def _factor(weight: float) -> float:
    return float(2.0 ** max(min(weight, 200.0), -200.0))


_FACTOR_SQL = "pow(2.0, greatest(least(bayes, 200.0), -200.0))"


def posteriors(pairs: Iterable[ScoredPair], *, share: float, children: int) -> list[ScoredPair]:
    """Probabilities for one sought child's candidates, which compete: a sought child is one
    person. P(candidate i) = (share/N) L_i / ((1 - share) + (share/N) sum_j L_j) over the
    blocked candidates j, with L the Bayes factors and N the number of registered children;
    so two strong candidates for one sought child cannot both pass 0.5. (The batch computes
    the same in SQL, :func:`_posteriors_sql`.)"""
    pairs = list(pairs)
    factor = share / max(children, 1)
    totals: dict[str, float] = {}
    for pair in pairs:
        totals[pair.request_record_id] = totals.get(pair.request_record_id, 0.0) + _factor(
            pair.weight
        )
    out = []
    for pair in pairs:
        mass = factor * _factor(pair.weight)
        denominator = (1.0 - share) + factor * totals[pair.request_record_id]
        out.append(
            ScoredPair(pair.request_record_id, pair.child_id, mass / denominator, pair.weight)
        )
    return out


def _register_blocked_pairs(db_api: Any, linker: Any, inputs: _Inputs) -> int:
    """The candidate pairs: every (child, sought child) sharing a blocking key, once; handed to
    Splink as its blocked pairs. Returns their number."""
    connection = db_api.duckdb_con
    _run(
        connection,
        f"""
        CREATE OR REPLACE TABLE __reunify_blocked AS
        WITH pairs AS (
            SELECT DISTINCT c.row AS child_row, r.row AS request_row
            FROM {inputs.child_keys} AS c JOIN {inputs.request_keys} AS r ON c.key = r.key
        )
        SELECT '0' AS match_key, ci.join_key AS join_key_l, ri.join_key AS join_key_r
        FROM pairs
        JOIN {inputs.child_ids} AS ci ON ci.row = pairs.child_row
        JOIN {inputs.request_ids} AS ri ON ri.row = pairs.request_row
        """,  # noqa: S608
    )
    blocked = db_api.register("__reunify_blocked")
    linker.table_management.register_blocked_pairs_for_predict(blocked)
    return int(_run(connection, "SELECT count(*) FROM __reunify_blocked")[0][0])


def _score(db_api: Any, linker: Any, inputs: _Inputs, prior: float) -> list[float]:
    """Score the blocked pairs with Splink into the table ``__reunify_scored`` (child_id,
    request_id, bayes: log2 Bayes factor, prior excluded, family fields capped as in
    :meth:`MatchModel.pair_weight`, only pairs above :data:`FLOOR_WEIGHT`); returns each sought
    child's sum of Bayes factors (for :func:`registered_share_from_totals`)."""
    _register_blocked_pairs(db_api, linker, inputs)
    prior_weight = math.log2(prior / (1.0 - prior))
    result = linker.inference.predict(
        threshold_match_weight=FLOOR_WEIGHT + prior_weight, warning_mode="never"
    )
    family = " + ".join(f"mw_{c.field}" for c in COMPARISONS if c.field in FAMILY_FIELDS)
    others = " + ".join(f"mw_{c.field}" for c in COMPARISONS if c.field not in FAMILY_FIELDS)
    cap = family_cap(inputs.n_children)
    connection = db_api.duckdb_con
    _run(
        connection,
        f"""
        CREATE OR REPLACE TABLE __reunify_scored AS
        SELECT * FROM (
            SELECT
                CASE WHEN source_dataset_l = '{CHILDREN}' THEN unique_id_l ELSE unique_id_r END
                    AS child_id,
                CASE WHEN source_dataset_l = '{CHILDREN}' THEN unique_id_r ELSE unique_id_l END
                    AS request_id,
                {others} + least({family}, {cap}) AS bayes
            FROM {result.physical_name}
        )
        WHERE bayes > {FLOOR_WEIGHT}
        """,  # noqa: S608
    )
    result.drop_table_from_database_and_remove_from_cache()
    _run(connection, "DROP TABLE IF EXISTS __reunify_blocked")
    _run(
        connection,
        f"""
        CREATE OR REPLACE TABLE __reunify_totals AS
        SELECT request_id, sum({_FACTOR_SQL}) AS total FROM __reunify_scored GROUP BY request_id
        """,  # noqa: S608
    )
    return [float(row[0]) for row in _run(connection, "SELECT total FROM __reunify_totals")]


def _posteriors_sql(
    db_api: Any, *, share: float, children: int, min_probability: float
) -> list[ScoredPair]:
    """:func:`posteriors` over ``__reunify_scored``, keeping pairs of at least
    ``min_probability``."""
    factor = share / max(children, 1)
    rows = _run(
        db_api.duckdb_con,
        f"""
        SELECT * FROM (
            SELECT s.request_id, s.child_id,
                {factor!r} * {_FACTOR_SQL} / ({1.0 - share!r} + {factor!r} * t.total)
                    AS probability,
                s.bayes
            FROM __reunify_scored AS s JOIN __reunify_totals AS t USING (request_id)
        )
        WHERE probability >= {min_probability!r}
        """,  # noqa: S608
    )
    return [
        ScoredPair(request_id, child_id, float(probability), float(bayes))
        for request_id, child_id, probability, bayes in rows
    ]


def predict(
    children: Iterable[TracingRecord],
    requests: Iterable[TracingRecord],
    model: MatchModel,
    *,
    min_probability: float = 0.0,
) -> list[ScoredPair]:
    """Score every blocked (sought child, child) pair with Splink and a trained model; only
    pairs with a probability of at least ``min_probability`` are returned."""
    with _session() as db_api:
        inputs = _register_inputs(db_api, children, requests)
        linker = _linker(db_api, inputs, model, model.prior)
        totals = _score(db_api, linker, inputs, model.prior)
        share = model.info.get("registered_share")
        if not isinstance(share, int | float):
            share = registered_share_from_totals(
                totals, requests=inputs.n_requests, children=inputs.n_children
            )
        return _posteriors_sql(
            db_api,
            share=float(share),
            children=inputs.n_children,
            min_probability=min_probability,
        )


def comparison_vectors(
    children: Iterable[TracingRecord], requests: Iterable[TracingRecord]
) -> dict[tuple[str, str], tuple[int, ...]]:
    """Splink's comparison vector of every (sought child, child) pair, as level indexes of
    :data:`comparisons.COMPARISONS` (0 = the null level). All pairs: for small inputs only."""
    model = MatchModel.default()
    with _session() as db_api:
        inputs = _register_inputs(db_api, children, requests)
        linker = _linker(db_api, inputs, model, model.prior, cartesian=True)
        result = linker.inference.predict(warning_mode="never")
        gammas = ", ".join(f"gamma_{comparison.field}" for comparison in COMPARISONS)
        relation = result.as_duckdbpyrelation().select(
            f"source_dataset_l, unique_id_l, unique_id_r, {gammas}"
        )
        vectors = {}
        for source_l, id_l, id_r, *values in relation.fetchall():
            key = (id_r, id_l) if source_l == CHILDREN else (id_l, id_r)
            vectors[key] = tuple(
                0 if value == -1 else len(comparison.levels) - 1 - int(value)
                for comparison, value in zip(COMPARISONS, values, strict=True)
            )
    return vectors
