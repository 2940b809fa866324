"""Reads for the Outcomes dashboard: the indicators, their trends, the children behind each
number, and the Vega-Lite specs of the charts, all for one permission scope.

The data come from `source.own_data` (Reunify's own episodes and placements, already limited to
the scope), the counting from `engine` (DuckDB), so the dashboard shows exactly what
`reunify indicators` prints for the same records written as a cfsr.md §11 extract.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any

from django.utils.translation import gettext

from reunify.clocks.dates import add_months
from reunify.core.marks import gettext_noop
from reunify.outcomes import charts, compliance, engine, equity, exports, groups, source, survival
from reunify.outcomes import indicators as rules
from reunify.outcomes.permissions import Scope

PARTS = ("numerator", "denominator", "excluded")
GROUP_KEYS = groups.KEYS
FOLLOW_UP_MONTHS = 12


def default_period_start(today: date) -> date:
    """The latest 12-month period (starting on the first of a month) whose year of follow-up is
    complete: P1 entries and re-entry exits need 12 months after the period (cfsr.md §1)."""
    return add_months(date(today.year, today.month, 1), -(rules.PERIOD_MONTHS + FOLLOW_UP_MONTHS))


# The reference group of each relative rate index unless the viewer picks another: the largest
# or conventional comparison group (white children for race and ethnicity, as in the
# disproportionality literature of reference/domain.md §8).
DEFAULT_REFERENCE = {
    groups.AGE: groups.AGE_6_12,
    groups.RACE_ETHNICITY: "white",
    groups.PLACEMENT_TYPE: groups.NON_RELATIVE,
    groups.DISTANCE: groups.NEAR,
}
WITHHELD = gettext_noop("withheld so that a smaller group's count cannot be worked out")


def reference_for(group_key: str, reference: str = "") -> str:
    """`reference` when it is a group of `group_key`, else that key's default."""
    if reference in groups.LABELS.get(group_key, {}):
        return reference
    return DEFAULT_REFERENCE[group_key]


def group_label(key: str, group: str) -> str:
    if group == survival.OVERALL:
        return gettext("All children")
    label = groups.LABELS.get(key, {}).get(group)
    return gettext(label) if label else group


def complementary_suppression(curves: list[survival.Curve]) -> list[survival.Curve]:
    """When exactly one group curve is suppressed, its size could be worked out from the overall
    count minus the others: withhold the smallest other group as well (DOMAIN.md "Equity",
    cells under 10)."""
    overall, by_group = curves[:1], curves[1:]
    suppressed = [c for c in by_group if c.suppressed]
    shown = [c for c in by_group if not c.suppressed]
    if len(suppressed) != 1 or not shown or (overall and overall[0].suppressed):
        return curves
    smallest = min(shown, key=lambda c: (c.n or 0, c.group))
    withheld = replace(
        smallest,
        n=None,
        events=None,
        median_days=None,
        median_ci=None,
        points=[],
        suppressed=True,
        reason=WITHHELD,
    )
    return overall + [withheld if c is smallest else c for c in by_group]


# ---- the dashboard --------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    period_start: date
    period_end: date  # last day
    value: float | None
    numerator: int
    denominator: int


@dataclass(frozen=True)
class Card:
    result: rules.Result
    trend: tuple[TrendPoint, ...]
    spec: dict[str, Any]

    @property
    def key(self) -> str:
        return self.result.key

    @property
    def definition(self) -> rules.Definition:
        return self.result.definition

    @property
    def is_rate(self) -> bool:
        return self.definition.unit == rules.PER_1000_DAYS

    @property
    def excluded_count(self) -> int:
        return len(self.result.excluded)

    @property
    def better_than_national(self) -> bool | None:
        value = self.result.value
        if value is None:
            return None
        national = self.definition.national_performance
        return value > national if self.definition.direction == "higher" else value < national


@dataclass(frozen=True)
class CurveRow:
    """A Kaplan-Meier curve with its display label."""

    curve: survival.Curve
    label: str

    @property
    def shown(self) -> bool:
        return not self.curve.suppressed


@dataclass(frozen=True)
class EquityRow:
    row: equity.RateRow
    label: str


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    period: rules.Period
    as_of: date
    cards: tuple[Card, ...]
    children: int  # children with at least one episode in the scope's data
    group_key: str
    curves: tuple[CurveRow, ...]
    survival_spec: dict[str, Any] | None  # None when every curve is suppressed
    equity: equity.Equity
    equity_rows: tuple[EquityRow, ...]
    reference: str
    compliance: tuple[compliance.Measure, ...]


def _point(report: rules.Report, key: str) -> TrendPoint:
    result = report.results[key]
    return TrendPoint(
        period_start=report.period.start,
        period_end=report.period.last_day,
        value=result.value,
        numerator=result.numerator,
        denominator=result.denominator,
    )


def scope_data(scope: Scope) -> source.OwnData:
    return source.own_data(scope.agency_id, unit_id=scope.unit_id)


def dashboard_get(
    *, scope: Scope, period_start: date, as_of: date, group_key: str, reference: str = ""
) -> Dashboard:
    """The five indicators for the period starting `period_start`, each with its trend over the
    eight rolling periods ending with it (one DuckDB load for all of them); time to
    reunification (Kaplan-Meier) and reunification within 12 months by `group_key` (relative
    rate index against `reference`, by default `DEFAULT_REFERENCE[group_key]`) for the children
    entering care in the same 12 months."""
    data = scope_data(scope)
    reports = engine.trend(data.episodes, data.placements, latest_start=period_start, as_of=as_of)
    latest = reports[-1]
    cards = []
    for key in rules.KEYS:
        points = tuple(_point(report, key) for report in reports)
        title = rules.DEFINITIONS[key].title
        cards.append(
            Card(
                result=latest.results[key],
                trend=points,
                spec=charts.trend_spec(key, [(p.period_end, p.value) for p in points], title=title),
            )
        )
    window = {"window_start": latest.period.start, "window_end": latest.period.last_day}
    group_of = data.group_of(group_key)
    order = partial(groups.ordered, group_key)
    curve_rows = tuple(
        CurveRow(curve=c, label=group_label(group_key, c.group))
        for c in complementary_suppression(
            survival.curves(data.episodes, **window, as_of=as_of, group_of=group_of, order=order)
        )
    )
    shown = [(row.label, row.curve.points) for row in curve_rows if row.shown]
    spec = (
        charts.survival_spec(
            shown,
            title=gettext("Time to reunification"),
            x_title=gettext("Days since removal"),
            y_title=gettext("Not yet reunified"),
        )
        if shown
        else None
    )
    reference = reference_for(group_key, reference)
    rates = equity.relative_rates(
        data.episodes, **window, as_of=as_of, group_of=group_of, reference=reference, order=order
    )
    return Dashboard(
        scope=scope,
        period=latest.period,
        as_of=as_of,
        cards=tuple(cards),
        children=len({e.child_id for e in data.episodes}),
        group_key=group_key,
        curves=curve_rows,
        survival_spec=spec,
        equity=rates,
        equity_rows=tuple(
            EquityRow(row=r, label=group_label(group_key, r.group)) for r in rates.rows
        ),
        reference=reference,
        compliance=tuple(
            compliance.case_review_compliance(
                agency_id=scope.agency_id,
                unit_id=scope.unit_id,
                start=latest.period.start,
                end=latest.period.last_day,
                today=as_of,
            )
        ),
    )


# ---- the children behind a number -----------------------------------------------------------


@dataclass(frozen=True)
class ChildRow:
    child_id: str
    person_id: int
    name: str
    date_of_birth: date | None
    case_id: int | None
    unit_id: int | None
    groups: Mapping[str, str]
    reason: str  # the exclusion reason (rules.* constant), "" for numerator/denominator lists


# Lists that are not one of the five indicators: the entry cohort of the survival curves (part
# "denominator" = the cohort, "numerator" = reunified) and of the equity table ("denominator" =
# the children whose 12 months have run out, "numerator" = reunified within 12 months).
TIME_TO_REUNIFICATION = "time_to_reunification"
REUNIFIED_12M = "reunified_12m"
LISTS = (*rules.KEYS, TIME_TO_REUNIFICATION, REUNIFIED_12M)


@dataclass(frozen=True)
class ChildList:
    scope: Scope
    period: rules.Period
    as_of: date
    key: str  # one of LISTS
    part: str
    group_key: str
    group: str
    rows: tuple[ChildRow, ...]


Entry = tuple[str, str, Mapping[str, str] | None]  # child, exclusion reason, episode's groups


def _indicator_entries(
    data: source.OwnData, key: str, part: str, period: rules.Period, as_of: date
) -> list[Entry]:
    report = engine.compute(data.episodes, data.placements, period_start=period.start, as_of=as_of)
    result = report.results[key]
    if part == "numerator":
        return [(child, "", None) for child in result.numerator_children]
    if part == "denominator":
        return [(child, "", None) for child in result.denominator_children]
    return [(child, reason, None) for child, reason in sorted(result.excluded.items())]


def _cohort_entries(
    data: source.OwnData, key: str, part: str, period: rules.Period, as_of: date
) -> list[Entry]:
    cohort = survival.entry_cohort(
        data.episodes, window_start=period.start, window_end=period.last_day, as_of=as_of
    )
    excluded: list[Entry] = [(child, reason, None) for child, reason in cohort.excluded.items()]
    entries: list[Entry] = []
    for spell in cohort.spells:
        episode_groups = data.episode_groups.get((spell.child_id, spell.start))
        if key == REUNIFIED_12M and not equity.follow_up_complete(spell.start, as_of=as_of):
            excluded.append((spell.child_id, equity.FOLLOW_UP_INCOMPLETE, episode_groups))
            continue
        reunified = (
            spell.reunified
            if key == TIME_TO_REUNIFICATION
            else equity.reunified_within_12_months(spell.episode, as_of=as_of)
        )
        if part == "denominator" or (part == "numerator" and reunified):
            entries.append((spell.child_id, "", episode_groups))
    return sorted(excluded) if part == "excluded" else entries


def child_list_get(
    *,
    scope: Scope,
    period_start: date,
    as_of: date,
    key: str,
    part: str,
    group_key: str = "",
    group: str = "",
) -> ChildList:
    """The children counted in (or excluded from) one indicator or one of the cohort tables,
    optionally only those of one group (e.g. race_ethnicity = "black"), ordered by name. The
    group is the one of the episode the cohort table counts; for the indicators, of the child's
    latest episode."""
    data = scope_data(scope)
    period = rules.Period(period_start)
    find = _indicator_entries if key in rules.KEYS else _cohort_entries
    rows = []
    for child_id, reason, episode_groups in find(data, key, part, period, as_of):
        facts = data.children.get(child_id)
        if facts is None:  # not in the scope's people (cannot happen with own_data): never shown
            continue
        found = dict(episode_groups if episode_groups is not None else facts.groups)
        if group_key and found.get(group_key, "") != group:
            continue
        rows.append(
            ChildRow(
                child_id=child_id,
                person_id=facts.person_id,
                name=facts.display_name,
                date_of_birth=facts.date_of_birth,
                case_id=facts.case_id,
                unit_id=facts.unit_id,
                groups=found,
                reason=reason,
            )
        )
    rows.sort(key=lambda r: (r.name.casefold(), r.child_id))
    return ChildList(
        scope=scope,
        period=period,
        as_of=as_of,
        key=key,
        part=part,
        group_key=group_key if group_key else "",
        group=group if group_key else "",
        rows=tuple(rows),
    )


# ---- tables for export ----------------------------------------------------------------------


def indicator_table(dashboard: Dashboard) -> exports.Table:
    rows: list[list[exports.Value]] = []
    for card in dashboard.cards:
        for point in card.trend:
            rows.append(
                [
                    card.key,
                    card.definition.title,
                    point.period_start,
                    point.period_end,
                    dashboard.as_of,
                    point.numerator,
                    point.denominator,
                    point.value,
                    card.definition.unit,
                    card.definition.national_performance,
                    card.definition.direction,
                    len(card.result.excluded)
                    if point.period_start == dashboard.period.start
                    else None,
                ]
            )
    return exports.Table(
        name=f"outcomes-indicators-{dashboard.period.start.isoformat()}",
        columns=(
            "indicator",
            "title",
            "period_start",
            "period_end",
            "as_of",
            "numerator",
            "denominator",
            "value",
            "unit",
            "national_performance",
            "direction",
            "excluded",
        ),
        rows=rows,
    )


def child_table(children: ChildList) -> exports.Table:
    group_columns = GROUP_KEYS
    rows: list[list[exports.Value]] = [
        [
            children.key,
            children.part,
            row.child_id,
            row.name,
            row.date_of_birth,
            row.case_id,
            row.reason,
            *(row.groups.get(k, "") for k in group_columns),
        ]
        for row in children.rows
    ]
    return exports.Table(
        name=f"outcomes-{children.key}-{children.part}-{children.period.start.isoformat()}",
        columns=(
            "indicator",
            "part",
            "child_id",
            "name",
            "date_of_birth",
            "case_id",
            "excluded_reason",
            *(f"group_{k}" for k in group_columns),
        ),
        rows=rows,
    )


def survival_table(dashboard: Dashboard) -> exports.Table:
    """Each curve's size, reunifications and median days with its 95% interval (suppressed
    curves keep only their name and the reason)."""
    rows: list[list[exports.Value]] = []
    for row in dashboard.curves:
        c = row.curve
        low, high = c.median_ci if c.median_ci else (None, None)
        rows.append(
            [
                dashboard.group_key,
                c.group,
                row.label,
                c.n,
                c.events,
                c.median_days,
                low,
                high,
                c.reason,
            ]
        )
    return exports.Table(
        name=f"outcomes-time-to-reunification-{dashboard.group_key}-{dashboard.period.start}",
        columns=(
            "group_key",
            "group",
            "label",
            "children",
            "reunified",
            "median_days",
            "median_ci_low",
            "median_ci_high",
            "note",
        ),
        rows=rows,
    )


def equity_table(dashboard: Dashboard) -> exports.Table:
    rows: list[list[exports.Value]] = []
    for item in dashboard.equity_rows:
        r = item.row
        low, high = r.rri_ci if r.rri_ci else (None, None)
        rows.append(
            [
                dashboard.group_key,
                r.group,
                item.label,
                r.children,
                r.reunified,
                r.rate,
                r.rri,
                low,
                high,
                r.is_reference,
                r.reason,
            ]
        )
    return exports.Table(
        name=f"outcomes-equity-{dashboard.group_key}-{dashboard.period.start}",
        columns=(
            "group_key",
            "group",
            "label",
            "children",
            "reunified_12m",
            "rate",
            "rri",
            "rri_ci_low",
            "rri_ci_high",
            "reference",
            "note",
        ),
        rows=rows,
    )


def compliance_table(dashboard: Dashboard) -> exports.Table:
    rows: list[list[exports.Value]] = [
        [
            m.key,
            str(m.title),
            m.numerator,
            m.denominator,
            m.rate,
            m.target_percent,
            str(m.missing),
        ]
        for m in dashboard.compliance
    ]
    return exports.Table(
        name=f"outcomes-case-review-compliance-{dashboard.period.start}",
        columns=("measure", "title", "numerator", "denominator", "rate", "target", "missing"),
        rows=rows,
    )
