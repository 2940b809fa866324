"""The five indicators on a hand-built extract (tests/data/episodes.csv, placements.csv), with
every expected value worked out by hand below, run through both engines.

Period: 2023-01-01 to 2023-12-31 (12 months: entries/exits from 2023-01-01 up to, not
including, 2024-01-01). Data as of 2024-12-31.

Child ids: E = enters in 2023 (P1 and placement stability), M = in care 12-23 months on
2023-01-01 (P2), L = in care 24+ months (P3), R = re-entry cases. Several children fall into
more than one cohort; each is explained once, where it matters most.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from reunify.outcomes import engine
from reunify.outcomes import indicators as rules
from reunify.outcomes.extract import read_extract
from reunify.outcomes.indicators import Episode, Placement, Report

DATA = Path(__file__).parent / "data"
PERIOD = date(2023, 1, 1)
AS_OF = date(2024, 12, 31)

Compute = Callable[..., Report]


@pytest.fixture(params=["python", "duckdb"])
def compute(request: pytest.FixtureRequest) -> Compute:
    return rules.compute if request.param == "python" else engine.compute


@pytest.fixture(scope="module")
def extract():
    data = read_extract(DATA / "episodes.csv", DATA / "placements.csv", strict=True)
    assert data.skipped == []
    return data


@pytest.fixture
def report(compute, extract) -> Report:
    return compute(extract.episodes, extract.placements, period_start=PERIOD, as_of=AS_OF)


def test_permanency_in_12_months_for_entries(report):
    # Each child's FIRST episode starting in 2023; "within 12 months" = exit < entry + 12 months.
    # E01 enters 02-01, reunified 2023-10-01 (8 months)                        -> numerator
    # E02 enters 03-01; foster home to 08-01, then a trial home visit (THV) from 2023-08-01 until
    #     discharge to reunification on 2024-06-01 (15 months: would fail). The last placement is
    #     the THV, so exit = min(2024-06-01, 08-01 + 30 days = 2023-08-31) < 2024-03-01 -> numerator
    # E03 had a THV 06-01..08-01 that disrupted, then a group home until reunification on
    #     2024-05-01. The last placement is not a THV: no adjustment; 2024-05-01 >= 2024-04-01
    #                                                                       -> denominator only
    # E04 foster home, then THV from 2023-05-01, discharged to GUARDIANSHIP 2024-02-01: the
    #     adjustment is only for reunification; 2024-02-01 >= 2024-01-15      -> denominator only
    # E05 in care 2023-05-01..05-08 = 7 days (LOS 0-7)                  -> excluded, under 8 days
    # E06 in care 2023-05-10..05-18 = exactly 8 days: kept; reunified        -> numerator
    # E07 enters on their 18th birthday (born 2005-03-01)               -> excluded, age 18+
    # E08 discharged 2023-09-01 with no discharge reason                 -> excluded, missing reason
    # E09 two episodes in 2023 (02-10..03-01 reunified, 07-01 open): only the first is evaluated
    #                                                                       -> numerator
    # E10 enters at 17, reunified 2023-10-01 at 18 (born 2005-09-01): not before the 18th
    #     birthday                                                          -> denominator only
    # E11 still in care                                                     -> denominator only
    # E12 enters 2023-12-01, adopted 2024-11-30 (< 2024-12-01)               -> numerator
    # E13 enters 2023-08-15, reunified 2024-08-15: exactly 12 months is not "within"
    #                                                                       -> denominator only
    # E14 discharged as a runaway: not permanency                           -> denominator only
    # L06 re-enters 2023-06-01 (its first 2023 episode), still in care      -> denominator only
    # R01 second episode 2023-04-01..05-01, guardianship                    -> numerator
    # R02 first 2023 episode 01-10..01-14 = 4 days: the child is excluded, the later 2023
    #     episodes are not looked at                                   -> excluded, under 8 days
    # R03 2023 episode 03-01..08-01 reunified                               -> numerator
    # R04 2023 episode 09-01..09-20 reunified                               -> numerator
    # Numerator 8 of 15: 53.33 %.
    p1 = report.results[rules.PERM12_ENTRIES]
    assert p1.numerator_children == ("E01", "E02", "E06", "E09", "E12", "R01", "R03", "R04")
    assert p1.denominator_children == (
        "E01", "E02", "E03", "E04", "E06", "E09", "E10", "E11", "E12", "E13", "E14",
        "L06", "R01", "R03", "R04",
    )  # fmt: skip
    assert p1.excluded == {
        "E05": rules.UNDER_8_DAYS,
        "E07": rules.AGE_18_AT_ENTRY,
        "E08": rules.NO_DISCHARGE_REASON,
        "R02": rules.UNDER_8_DAYS,
    }
    assert (p1.numerator, p1.denominator) == (8, 15)
    assert p1.value == pytest.approx(100 * 8 / 15)


def test_permanency_in_12_months_for_children_in_care_12_to_23_months(report):
    # In care on 2023-01-01 with 12-23 completed months (entered 2021-01-02 .. 2022-01-01).
    # M01 entered 2022-01-01: exactly 12 months; reunified 2023-06-01        -> numerator
    # M02 entered 2022-01-02: 11 months 30 days                              -> in no cohort
    # M03 entered 2021-01-02: 23 months; to a relative 2023-12-31 (last day) -> numerator
    # M04 guardianship on 2024-01-01, after the period                       -> denominator only
    # M05 18 on the first day (born 2005-01-01)                          -> excluded, age 18+
    # M06 discharged 2023-04-04 with no reason                         -> excluded, missing reason
    # M07 17 on the first day, reunified 2023-07-01 at 18               -> denominator only
    # M08 THV from 2023-05-01, reunified 2024-03-01: no THV adjustment in P2 -> denominator only
    # M09 discharged ON 2023-01-01: not in care that day (the discharge day does not count)
    p2 = report.results[rules.PERM12_12_23]
    assert p2.numerator_children == ("M01", "M03")
    assert p2.denominator_children == ("M01", "M03", "M04", "M07", "M08")
    assert p2.excluded == {"M05": rules.AGE_18_ON_FIRST_DAY, "M06": rules.NO_DISCHARGE_REASON}
    assert p2.value == pytest.approx(40.0)


def test_permanency_in_12_months_for_children_in_care_24_months_or_more(report):
    # L01 entered 2021-01-01: exactly 24 months; adopted 2023-03-03            -> numerator
    # L02 still in care                                                       -> denominator
    # L03 born 2004-12-31: 18 on the first day                          -> excluded, age 18+
    # L04 emancipated 2023-12-30: not permanency                               -> denominator
    # L05 guardianship 2023-06-01 at 18: counts as still in care               -> denominator
    # L06 reunified 2023-02-01 (its later re-entry does not undo the exit)     -> numerator
    # L07 reunified 2023-10-10                                                 -> numerator
    p3 = report.results[rules.PERM12_24PLUS]
    assert p3.numerator_children == ("L01", "L06", "L07")
    assert p3.denominator_children == ("L01", "L02", "L04", "L05", "L06", "L07")
    assert p3.excluded == {"L03": rules.AGE_18_ON_FIRST_DAY}
    assert p3.value == pytest.approx(50.0)


def test_reentry_within_12_months_of_an_exit_in_the_period(report):
    # Each child's first 2023 discharge to reunification, a relative or guardianship.
    # E01, E06, M01, M03 (to a relative), L07: exits, no new removal          -> denominator
    # E09 reunified 2023-03-01, removed again 2023-07-01                       -> numerator
    # L06 reunified 2023-02-01, removed again 2023-06-01                       -> numerator
    # R01 reunified 2023-02-15, removed 2023-04-01 (its guardianship exit of 2023-05-01 is a
    #     second exit: the child counts once)                                  -> numerator
    # R04 reunified 2023-09-01, removed again the same day                     -> numerator
    # M09 reunified 2023-01-01, removed 2024-01-01 = exit + 12 months: outside -> denominator
    # R05 reunified 2023-03-01, removed 2024-04-01 (13 months)                 -> denominator
    # E05 exit episode of 7 days; R02's first exit (01-14) after 4 days: the first exit is the
    #     one evaluated                                              -> excluded, under 8 days
    # E07, E10, M07, L05 18 or older at exit                            -> excluded, age 18+
    # R03 reunified 2023-05-01 from an episode that began 2022-06-01, but a removal is recorded
    #     on 2023-03-01, before that discharge             -> excluded (cfsr.md §3.4 records rule)
    # Not in the cohort: adoption (L01), runaway (E14), no reason (E08, M06), exits in 2024.
    # 4 of 11: 36.36 %.
    reentry = report.results[rules.REENTRY_12M]
    assert reentry.numerator_children == ("E09", "L06", "R01", "R04")
    assert reentry.denominator_children == (
        "E01", "E06", "E09", "L06", "L07", "M01", "M03", "M09", "R01", "R04", "R05",
    )  # fmt: skip
    assert reentry.excluded == {
        "E05": rules.UNDER_8_DAYS,
        "E07": rules.AGE_18_AT_EXIT,
        "E10": rules.AGE_18_AT_EXIT,
        "L05": rules.AGE_18_AT_EXIT,
        "M07": rules.AGE_18_AT_EXIT,
        "R02": rules.UNDER_8_DAYS,
        "R03": rules.REMOVAL_BEFORE_DISCHARGE,
    }
    assert reentry.value == pytest.approx(100 * 4 / 11)


def test_placement_stability(report):
    # The P1 cohort, but a missing discharge reason does not exclude (E08 is in); E05, R02 (under
    # 8 days) and E07 (18 at entry) are out. Days = min(discharge, 2024-01-01) - entry:
    #   E01 242 (02-01..10-01)  E02 306 (03-01..2024-01-01)  E03 275 (04-01..)  E04 351 (01-15..)
    #   E06 8   E08 92 (06-01..09-01)  E09 19 (02-10..03-01, first episode only)  E10 242
    #   E11 292 (03-15..)  E12 31 (12-01..)  E13 139 (08-15..)  E14 123 (07-01..11-01)
    #   L06 214 (06-01..)  R01 30  R03 153 (03-01..08-01)  R04 19          total 2,536 days
    # Moves:
    #   E01 foster home F1 becomes a pre-adoptive home, same provider: not a move       0
    #   E02 foster home, then THV (not a placement)                                     0
    #   E03 F3, THV (dropped), group home F4                                            1
    #   E08 F9, then institution F10                                                    1
    #   E11 F13, respite R1 (dropped), back to F13 (same home: merged), runaway (dropped),
    #       F14 (move), back to F13 (a different home from F14: move), group home F15 on
    #       2024-02-01 (after the period: not counted)                                  2
    #   E12 F16, then PA1 on 2024-03-01 (after the period)                              0
    #   E14 group home, then a runaway record                                           0
    # 4 moves / 2,536 days * 1,000 = 1.577 (national 4.48, lower is better).
    ps = report.results[rules.PLACEMENT_STABILITY]
    assert (ps.numerator, ps.denominator) == (4, 2536)
    assert ps.numerator_children == ("E03", "E08", "E11")
    assert ps.denominator_children == (
        "E01", "E02", "E03", "E04", "E06", "E08", "E09", "E10", "E11", "E12", "E13", "E14",
        "L06", "R01", "R03", "R04",
    )  # fmt: skip
    assert ps.excluded == {
        "E05": rules.UNDER_8_DAYS,
        "E07": rules.AGE_18_AT_ENTRY,
        "R02": rules.UNDER_8_DAYS,
    }
    assert ps.value == pytest.approx(1000 * 4 / 2536)


def test_default_as_of_is_the_latest_date_in_the_extract(compute, extract, report):
    # The latest date mentioned is 2024-11-30 (E12's adoption); nothing happens after it, so
    # the results are those as of 2024-12-31.
    assert rules.default_as_of(extract.episodes, extract.placements) == date(2024, 11, 30)
    implicit = compute(extract.episodes, extract.placements, period_start=PERIOD)
    assert implicit.as_of == date(2024, 11, 30)
    assert implicit.results == report.results


def test_as_of_censors_later_events(compute, extract):
    # Given: data as of 2023-06-30, so discharges after it have not happened and episodes and
    # placements starting after it are unknown.
    report = compute(
        extract.episodes, extract.placements, period_start=PERIOD, as_of=date(2023, 6, 30)
    )
    p1 = report.results[rules.PERM12_ENTRIES]
    # Then: E01 (reunified 10-01) is still in care; E02's THV starts 08-01, unknown; E08 has no
    # discharge yet, so no missing reason; E09, R01, E06 were discharged by 06-30.
    assert p1.numerator_children == ("E06", "E09", "R01")
    assert "E08" in p1.denominator_children
    assert "E13" not in p1.denominator_children  # enters 08-15, after the data date
    ps = report.results[rules.PLACEMENT_STABILITY]
    # E11: F13, respite, F13 by 06-30: no move yet (F14 comes on 07-10).
    assert "E11" not in ps.numerator_children
    # Days stop at the data date: E01 entered 2023-02-01 and counts 02-01..06-30 = 150 days.
    only_e01 = compute(
        [e for e in extract.episodes if e.child_id == "E01"],
        [],
        period_start=PERIOD,
        as_of=date(2023, 6, 30),
    )
    assert only_e01.results[rules.PLACEMENT_STABILITY].denominator == 150


# --- the trial-home-visit adjustment, one case at a time ---------------------------------------

CHILD_DOB = date(2015, 1, 1)
ENTRY = date(2023, 1, 10)


def _thv_case(*, discharge: date, reason: str, thv_start: date | None, last_is_thv: bool = True):
    episodes = [Episode("C", CHILD_DOB, ENTRY, discharge, reason)]
    placements = [Placement("C", ENTRY, ENTRY, thv_start or discharge, "group_home", "G")]
    if thv_start is not None:
        placements.append(Placement("C", ENTRY, thv_start, discharge, "trial_home_visit", ""))
        if not last_is_thv:
            placements[-1] = Placement("C", ENTRY, thv_start, thv_start, "trial_home_visit", "")
            placements.append(
                Placement("C", ENTRY, thv_start, discharge, "foster_family_nonrelative", "F")
            )
    return episodes, placements


@pytest.mark.parametrize(
    ("discharge", "reason", "thv_start", "last_is_thv", "counted"),
    [
        # On: THV from 2023-11-01, reunified 2024-03-01 (past 2024-01-10); adjusted exit
        # 2023-12-01 is within 12 months.
        (date(2024, 3, 1), "reunification", date(2023, 11, 1), True, True),
        # On, at the boundary: THV from 2023-12-11 -> adjusted 2024-01-10 = entry + 12 months:
        # not within.
        (date(2024, 3, 1), "reunification", date(2023, 12, 11), True, False),
        # A day earlier it is: 2023-12-10 + 30 = 2024-01-09.
        (date(2024, 3, 1), "reunification", date(2023, 12, 10), True, True),
        # Off: discharged to guardianship after the THV, no adjustment.
        (date(2024, 3, 1), "guardianship", date(2023, 11, 1), True, False),
        # Off: the THV was not the last placement.
        (date(2024, 3, 1), "reunification", date(2023, 11, 1), False, False),
        # Not applicable: no THV at all.
        (date(2024, 3, 1), "reunification", None, True, False),
        # The discharge comes before THV start + 30: the discharge date stands.
        (date(2023, 6, 5), "reunification", date(2023, 6, 1), True, True),
    ],
)
def test_trial_home_visit_adjustment(compute, discharge, reason, thv_start, last_is_thv, counted):
    episodes, placements = _thv_case(
        discharge=discharge, reason=reason, thv_start=thv_start, last_is_thv=last_is_thv
    )
    report = compute(episodes, placements, period_start=PERIOD, as_of=AS_OF)
    assert report.results[rules.PERM12_ENTRIES].numerator == int(counted)
    assert report.results[rules.PERM12_ENTRIES].denominator == 1


def test_thv_adjustment_decides_the_18th_birthday_test(compute):
    # Born 2006-02-01: enters 2023-03-01 at 17; THV from 2023-12-01; reunified 2024-03-01 at 18.
    # The adjusted exit 2023-12-31 is before the 18th birthday (2024-02-01): counted.
    dob = date(2006, 2, 1)
    start = date(2023, 3, 1)
    episodes = [Episode("T", dob, start, date(2024, 3, 1), "reunification")]
    placements = [
        Placement("T", start, start, date(2023, 12, 1), "group_home", "G"),
        Placement("T", start, date(2023, 12, 1), date(2024, 3, 1), "trial_home_visit", ""),
    ]
    report = compute(episodes, placements, period_start=PERIOD, as_of=AS_OF)
    assert report.results[rules.PERM12_ENTRIES].numerator_children == ("T",)


# --- arithmetic and trend -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [
        (date(2022, 1, 1), date(2023, 1, 1), 12),
        (date(2022, 1, 2), date(2023, 1, 1), 11),
        (date(2023, 1, 31), date(2023, 2, 28), 1),  # Jan 31 + 1 month = Feb 28
        (date(2023, 1, 31), date(2023, 2, 27), 0),
        (date(2023, 5, 5), date(2023, 5, 5), 0),
    ],
)
def test_completed_months(earlier, later, months):
    assert rules.completed_months(earlier, later) == months


def test_a_child_born_on_29_february_turns_18_on_28_february():
    assert rules.age_on(date(2008, 2, 29), date(2026, 2, 27)) == 17
    assert rules.age_on(date(2008, 2, 29), date(2026, 2, 28)) == 18


def test_trend_covers_eight_rolling_periods_ending_with_the_latest(compute, extract):
    trend = (rules.trend if compute is rules.compute else engine.trend)(
        extract.episodes, extract.placements, latest_start=PERIOD, as_of=AS_OF
    )
    assert [r.period.start for r in trend] == [
        date(2019, 7, 1), date(2020, 1, 1), date(2020, 7, 1), date(2021, 1, 1),
        date(2021, 7, 1), date(2022, 1, 1), date(2022, 7, 1), date(2023, 1, 1),
    ]  # fmt: skip
    assert (
        trend[-1].results
        == compute(extract.episodes, extract.placements, period_start=PERIOD, as_of=AS_OF).results
    )
    assert all(r.results[rules.REENTRY_12M].definition.national_performance == 5.6 for r in trend)
