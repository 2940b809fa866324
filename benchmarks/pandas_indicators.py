"""The five CFSR indicators in pandas: the baseline `benchmarks/indicators_1m.py` measures the
DuckDB engine against (issue 8 asks for at least 10 times faster).

Written for the benchmark, the obvious way: read the CSV pair with `pandas.read_csv`, then
filters, `groupby`, `merge` and vectorised date arithmetic, one block per indicator, following
the readings of `reunify/outcomes/indicators.py` (the rule book). The results are built with the
same `indicators.result` as the two engines, so the benchmark can compare them exactly.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from reunify.outcomes import indicators as rules
from reunify.outcomes.indicators import Period, Report, Result


def read(episodes_csv: Path, placements_csv: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    episodes = pd.read_csv(
        episodes_csv,
        dtype={"child_id": str, "discharge_reason": str},
        parse_dates=["date_of_birth", "episode_start", "episode_end"],
        date_format="%Y-%m-%d",
    )
    placements = pd.read_csv(
        placements_csv,
        dtype={"child_id": str, "setting": str, "provider_id": str},
        parse_dates=["episode_start", "placement_start", "placement_end"],
        date_format="%Y-%m-%d",
    )
    return episodes, placements


def completed_months(a: pd.Series, b: pd.Series) -> pd.Series:
    """The largest m with a + m months <= b (months clamping to the month's end)."""
    months = (b.dt.year - a.dt.year) * 12 + b.dt.month - a.dt.month
    return months - (a.dt.day.where(a.dt.day < b.dt.days_in_month, b.dt.days_in_month) > b.dt.day)


def age_on(dob: pd.Series, on: pd.Series) -> pd.Series:
    return completed_months(dob, on) // 12


def _result(key: str, frame: pd.DataFrame) -> Result:
    """`frame`: child_id, excluded (None = included), counted."""
    included = frame[frame["excluded"].isna()]
    excluded = frame[frame["excluded"].notna()]
    return rules.result(
        key,
        numerator=int(included["counted"].sum()),
        denominator=len(included),
        numerator_children=included.loc[included["counted"], "child_id"].tolist(),
        denominator_children=included["child_id"].tolist(),
        excluded=dict(zip(excluded["child_id"], excluded["excluded"], strict=True)),
    )


def compute_frames(
    episodes: pd.DataFrame, placements: pd.DataFrame, *, period_start: date, as_of: date
) -> Report:
    period = Period(period_start)
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end_exclusive)
    last_day, known_on = pd.Timestamp(period.last_day), pd.Timestamp(as_of)
    cap = pd.Timestamp(min(period.end_exclusive, as_of + timedelta(days=1)))

    # Episodes and placements as known on as_of.
    ep = episodes[episodes["episode_start"] <= known_on].copy()
    closed = ep["episode_end"].notna() & (ep["episode_end"] <= known_on)
    ep = ep.rename(columns={"date_of_birth": "dob", "episode_start": "s"})
    ep["e"] = ep["episode_end"].where(closed)
    ep["reason"] = ep["discharge_reason"].where(closed)
    ep["short_stay"] = closed & ((ep["e"] - ep["s"]).dt.days <= rules.SHORT_STAY_MAX_DAYS)
    ep = ep[["child_id", "dob", "s", "e", "reason", "short_stay"]]
    pl = placements[placements["placement_start"] <= known_on].copy()
    pl["provider_id"] = pl["provider_id"].fillna("")
    pl["end_key"] = pl["placement_end"].fillna(pd.Timestamp.max)
    order = ["child_id", "episode_start", "placement_start", "end_key", "setting", "provider_id"]
    pl = pl.sort_values(order)

    # Each child's first episode starting in the period (P1 and placement stability).
    entries = (
        ep[(ep["s"] >= start) & (ep["s"] < end)]
        .sort_values(["child_id", "s"])
        .drop_duplicates("child_id")
    )

    # P1.
    last = pl.drop_duplicates(["child_id", "episode_start"], keep="last")
    p1 = entries.merge(
        last[["child_id", "episode_start", "setting", "placement_start"]],
        how="left",
        left_on=["child_id", "s"],
        right_on=["child_id", "episode_start"],
    )
    adult_at_entry = age_on(p1["dob"], p1["s"]) >= rules.ADULT_AGE
    p1["excluded"] = None
    p1.loc[p1["e"].notna() & p1["reason"].isna(), "excluded"] = rules.NO_DISCHARGE_REASON
    p1.loc[p1["short_stay"], "excluded"] = rules.UNDER_8_DAYS
    p1.loc[adult_at_entry, "excluded"] = rules.AGE_18_AT_ENTRY
    thv = (p1["reason"] == "reunification") & (p1["setting"] == rules.TRIAL_HOME_VISIT)
    credit = p1["placement_start"] + pd.Timedelta(days=rules.THV_CREDIT_DAYS)
    exit_on = p1["e"].where(~thv, p1["e"].where(p1["e"] < credit, credit))
    p1["counted"] = (
        exit_on.notna()
        & p1["reason"].isin(rules.PERMANENCY_EXITS)
        & (exit_on < p1["s"] + pd.DateOffset(months=rules.FOLLOW_UP_MONTHS))
        & (age_on(p1["dob"], exit_on.fillna(p1["s"])) < rules.ADULT_AGE)
    )
    perm12_entries = _result(rules.PERM12_ENTRIES, p1)

    # P2 and P3: each child's (earliest) episode open on the first day, 12+ completed months.
    open_ = (
        ep[(ep["s"] <= start) & (ep["e"].isna() | (ep["e"] > start))]
        .sort_values(["child_id", "s"])
        .drop_duplicates("child_id")
        .copy()
    )
    first_day = pd.Series(start, index=open_.index)
    open_["months"] = completed_months(open_["s"], first_day)
    open_ = open_[open_["months"] >= 12].copy()
    first_day = first_day.loc[open_.index]
    open_["excluded"] = None
    open_.loc[open_["e"].notna() & open_["reason"].isna(), "excluded"] = rules.NO_DISCHARGE_REASON
    open_.loc[age_on(open_["dob"], first_day) >= rules.ADULT_AGE, "excluded"] = (
        rules.AGE_18_ON_FIRST_DAY
    )
    open_["counted"] = (
        open_["e"].notna()
        & open_["reason"].isin(rules.PERMANENCY_EXITS)
        & (open_["e"] < end)
        & (age_on(open_["dob"], open_["e"].fillna(start)) < rules.ADULT_AGE)
    )
    perm12_12_23 = _result(rules.PERM12_12_23, open_[open_["months"] <= 23])
    perm12_24plus = _result(rules.PERM12_24PLUS, open_[open_["months"] > 23])

    # Re-entry: each child's first qualifying exit in the period (ties: the earlier removal).
    exits = (
        ep[(ep["e"] >= start) & (ep["e"] < end) & ep["reason"].isin(rules.REENTRY_EXITS)]
        .sort_values(["child_id", "e", "s"])
        .drop_duplicates("child_id")
        .copy()
    )
    others = exits[["child_id", "s", "e"]].merge(
        ep[["child_id", "s"]].rename(columns={"s": "other"}), on="child_id"
    )
    others = others[others["other"] != others["s"]]
    overlapping = others[(others["other"] > others["s"]) & (others["other"] < others["e"])]
    window_end = others["e"] + pd.DateOffset(months=rules.FOLLOW_UP_MONTHS)
    returned = others[(others["other"] >= others["e"]) & (others["other"] < window_end)]
    exits["excluded"] = None
    exits.loc[exits["child_id"].isin(overlapping["child_id"]), "excluded"] = (
        rules.REMOVAL_BEFORE_DISCHARGE
    )
    exits.loc[exits["short_stay"], "excluded"] = rules.UNDER_8_DAYS
    exits.loc[age_on(exits["dob"], exits["e"]) >= rules.ADULT_AGE, "excluded"] = (
        rules.AGE_18_AT_EXIT
    )
    exits["counted"] = exits["child_id"].isin(returned["child_id"])
    reentry = _result(rules.REENTRY_12M, exits)

    # Placement stability: the P1 child and episode; moves among placements up to the last day.
    cohort = entries.copy()
    cohort["excluded"] = None
    cohort.loc[cohort["short_stay"], "excluded"] = rules.UNDER_8_DAYS
    cohort.loc[age_on(cohort["dob"], cohort["s"]) >= rules.ADULT_AGE, "excluded"] = (
        rules.AGE_18_AT_ENTRY
    )
    included = cohort[cohort["excluded"].isna()].copy()
    days_end = included["e"].fillna(cap)
    included["days"] = (days_end.where(days_end < cap, cap) - included["s"]).dt.days
    counted = pl[
        ~pl["setting"].isin(rules.NOT_A_PLACEMENT) & (pl["placement_start"] <= last_day)
    ].merge(
        included[["child_id", "s"]],
        left_on=["child_id", "episode_start"],
        right_on=["child_id", "s"],
    )
    previous = counted.groupby("child_id")["provider_id"].shift()
    counted["new_run"] = previous.isna() | (previous != counted["provider_id"])
    runs = counted.groupby("child_id")["new_run"].sum()
    included["moves"] = (
        (included["child_id"].map(runs).fillna(0).astype(int) - 1).clip(lower=0).astype(int)
    )
    stability = rules.result(
        rules.PLACEMENT_STABILITY,
        numerator=int(included["moves"].sum()),
        denominator=int(included["days"].sum()),
        numerator_children=included.loc[included["moves"] > 0, "child_id"].tolist(),
        denominator_children=included["child_id"].tolist(),
        excluded={
            child: reason
            for child, reason in zip(cohort["child_id"], cohort["excluded"], strict=True)
            if reason is not None
        },
    )
    return Report(
        period=period,
        as_of=as_of,
        results={
            rules.PERM12_ENTRIES: perm12_entries,
            rules.PERM12_12_23: perm12_12_23,
            rules.PERM12_24PLUS: perm12_24plus,
            rules.REENTRY_12M: reentry,
            rules.PLACEMENT_STABILITY: stability,
        },
    )


def compute_csv(
    episodes_csv: Path, placements_csv: Path, *, period_start: date, as_of: date
) -> Report:
    episodes, placements = read(episodes_csv, placements_csv)
    return compute_frames(episodes, placements, period_start=period_start, as_of=as_of)
