"""The clock engine: every statutory clock for one child's removal episode, computed from
recorded events and a date. Pure: no Django, no database, no clock reading (import-linter and
mypy strict check it). Durations come from a jurisdiction `Profile` (profiles.py).

Each clock carries a message id with named placeholders and its parameters, so the page can
translate the sentence and format the dates in the reader's language.

Readings (docs/adr/0005-statutory-clocks.md):
- Date entered foster care (DEFC) = earlier of the first abuse/neglect adjudication in the
  episode and removal + 60 days [SSA 475(5)(F)].
- 15 of the most recent 22 months counts days in care from each episode's DEFC, excluding trial
  home visit and runaway days, in a sliding window of 22 months; 15 months = 457 days and
  22 months = 670 days (365.25 / 12 per month).
- Recurring clocks (periodic review, permanency hearing, efforts-to-finalize finding) count from
  the last time they were met.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from reunify.clocks.dates import add_days, add_months
from reunify.core.marks import gettext_noop

# Statuses, in the order a worker should look at them.
OVERDUE = "overdue"
DUE_SOON = "due_soon"
RUNNING = "running"
NOT_STARTED = "not_started"
MET = "met"
EXCEPTED = "excepted"
NOT_APPLICABLE = "not_applicable"
ACTIVE_STATUSES = (OVERDUE, DUE_SOON, RUNNING)

EXCLUDED_FROM_15_22 = frozenset({"trial_home_visit", "runaway"})
DAYS_PER_MONTH = 365.25 / 12

# Hearing, finding, order and petition kinds the engine reads (court app values).
PERIODIC_REVIEW_HEARINGS = frozenset({"review", "permanency"})


@dataclass(frozen=True, slots=True)
class Profile:
    key: str
    name: str
    due_soon_days: int = 14
    relative_notice_days: int = 30
    re_prevent_removal_days: int = 60
    defc_days: int = 60
    case_plan_days: int = 60
    case_plan_update_days: int = 30
    periodic_review_months: int = 6
    permanency_hearing_months: int = 12
    permanency_after_re_not_required_days: int = 30
    re_finalize_months: int = 12
    tpr_months: int = 15
    tpr_window_months: int = 22
    thv_limit_months: int = 6
    concurrent_review_months: int = 6
    post_reunification_months: int = 15
    aftercare_months: int = (
        6  # road home: services and contacts after the return (89 Ill. Adm. Code 315.310)
    )
    aftercare_weekly_contacts: int = (
        4  # road home: weekly in-home contacts in month one (Missouri 10.11.9)
    )
    # Practice rules (a profile's [rules] table: true or false).
    thv_requires_court_authorization: bool = False
    portal_after_tpr_court_dates: bool = False  # portal/access.py
    portal_after_closure_case_plan: bool = True
    # State clocks: 0 turns a clock off.
    first_visit_after_placement_days: int = 0
    shelter_hearing_days: int = 0


@dataclass(frozen=True, slots=True)
class Placement:
    start: date
    end: date | None
    setting: str


@dataclass(frozen=True, slots=True)
class Episode:
    removed_on: date
    discharged_on: date | None = None
    discharge_reason: str = ""
    placements: tuple[Placement, ...] = ()


@dataclass(frozen=True, slots=True)
class Dated:
    """A dated event of some kind: a hearing held, a finding made, a petition filed, a visit."""

    kind: str
    on: date
    until: date | None = None  # orders: effective until (a court-extended trial home visit)


@dataclass(frozen=True, slots=True)
class ChildEvents:
    """Everything recorded for one child that the clocks read. Order within tuples is free."""

    episode: Episode
    other_episodes: tuple[Episode, ...] = ()
    hearings_held: tuple[Dated, ...] = ()  # kind = hearing kind
    findings: tuple[Dated, ...] = ()  # kind = finding kind
    orders: tuple[Dated, ...] = ()  # kind = order kind
    petitions: tuple[Dated, ...] = ()  # kind = petition kind
    case_plans: tuple[date, ...] = ()  # dates a case plan was completed
    relative_notice_on: date | None = None
    visits: tuple[date, ...] = ()  # face-to-face caseworker visits with the child
    concurrent_reviews: tuple[Dated, ...] = ()  # kind "likely" / "unlikely"
    concurrent_goal_since: date | None = None  # a concurrent goal is current since this date
    exceptions: tuple[Dated, ...] = ()  # kind = "<clock key>:<reason>"


@dataclass(frozen=True, slots=True)
class Clock:
    key: str
    name: str
    basis: str
    start_event: str
    status: str
    due: date | None
    message: str
    params: Mapping[str, object] = field(default_factory=dict)
    met_on: date | None = None

    @property
    def on_time(self) -> bool | None:
        if self.status != MET or self.due is None or self.met_on is None:
            return None
        return self.met_on <= self.due


# -- helpers ---------------------------------------------------------------------------------


def _status(due: date | None, met_on: date | None, today: date, profile: Profile) -> str:
    if met_on is not None:
        return MET
    if due is None:
        return NOT_STARTED
    if today > due:
        return OVERDUE
    if (due - today).days <= profile.due_soon_days:
        return DUE_SOON
    return RUNNING


def _first_on_or_after(dates: Iterable[date], start: date, end: date | None = None) -> date | None:
    candidates = [d for d in dates if d >= start and (end is None or d <= end)]
    return min(candidates) if candidates else None


def _kinds(events: Iterable[Dated], *kinds: str) -> list[date]:
    return sorted(e.on for e in events if e.kind in kinds)


def _within(events: Iterable[Dated], episode: Episode) -> list[Dated]:
    end = episode.discharged_on or date.max
    return [e for e in events if episode.removed_on <= e.on <= end]


def date_entered_foster_care(
    episode: Episode, findings: Iterable[Dated], profile: Profile
) -> tuple[date, date | None]:
    """(DEFC, adjudication date or None). SSA 475(5)(F): the earlier of the first judicial finding
    of abuse or neglect and 60 days after removal."""
    adjudications = _kinds(_within(findings, episode), "abuse_neglect_adjudicated")
    sixty = add_days(episode.removed_on, profile.defc_days)
    if adjudications and adjudications[0] < sixty:
        return adjudications[0], adjudications[0]
    return sixty, (adjudications[0] if adjudications else None)


# -- 15 of 22 ----------------------------------------------------------------------------------


def _counted_intervals(
    episodes: Iterable[Episode], findings: Sequence[Dated], profile: Profile, today: date
) -> list[tuple[int, int]]:
    """Day intervals [start, end) in care that count toward 15 of 22, as ordinals: from each
    episode's DEFC to its discharge (or, for the open episode, indefinitely), minus trial home
    visit and runaway placements."""
    intervals: list[tuple[int, int]] = []
    far = date.max.toordinal()
    for episode in episodes:
        defc, _adj = date_entered_foster_care(episode, findings, profile)
        start = defc.toordinal()
        end = episode.discharged_on.toordinal() if episode.discharged_on else far
        if end <= start:
            continue
        cuts = sorted(
            (p.start.toordinal(), p.end.toordinal() if p.end else far)
            for p in episode.placements
            if p.setting in EXCLUDED_FROM_15_22
        )
        cursor = start
        for cut_start, cut_end in cuts:
            if cut_end <= cursor or cut_start >= end:
                continue
            if cut_start > cursor:
                intervals.append((cursor, min(cut_start, end)))
            cursor = max(cursor, cut_end)
        if cursor < end:
            intervals.append((cursor, end))
    return sorted(intervals)


def months_in_care_15_22(intervals: Sequence[tuple[int, int]], on: date, window_days: int) -> int:
    """Days counted in the window (on - window, on]."""
    hi = on.toordinal() + 1
    lo = hi - window_days
    return sum(max(0, min(e, hi) - max(s, lo)) for s, e in intervals)


def _day_15_of_22_reached(
    intervals: Sequence[tuple[int, int]], threshold: int, window: int, not_before: int
) -> int | None:
    """First ordinal day D >= not_before when the days counted in (D - window, D] reach
    `threshold`. The count is piecewise linear between interval edges and edges + window, so
    each segment is solved directly instead of stepping day by day."""
    if not intervals:
        return None
    # The count moves from day D to D + 1 by [D + 1 counted] - [D + 1 - window counted], which
    # changes only at these days; between them it is a straight line.
    edges = {not_before}
    for s, e in intervals:
        for x in (s - 1, e - 1, s + window - 1, e + window - 1):
            if x >= not_before:
                edges.add(x)
    points = sorted(edges)
    limit = max(e for _, e in intervals)
    for index, point in enumerate(points):
        if point > limit + window:
            break
        count = _count_at(intervals, point, window)
        if count >= threshold:
            return point
        following = points[index + 1] if index + 1 < len(points) else point + 1
        slope = _inside(intervals, point) - _inside(intervals, point - window)
        if slope > 0 and count + slope * (following - point) >= threshold:
            return point + (threshold - count)
    return None


def _count_at(intervals: Sequence[tuple[int, int]], day: int, window: int) -> int:
    hi, lo = day + 1, day + 1 - window
    return sum(max(0, min(e, hi) - max(s, lo)) for s, e in intervals)


def _inside(intervals: Sequence[tuple[int, int]], day: int) -> int:
    """1 when day `day + 1` is counted (the window's right edge moves onto it), else 0."""
    nxt = day + 1
    return 1 if any(s <= nxt < e for s, e in intervals) else 0


# -- the clocks --------------------------------------------------------------------------------


def compute(events: ChildEvents, *, today: date, profile: Profile) -> list[Clock]:
    """Every clock for the child's episode `events.episode`, as of `today`."""
    episode = events.episode
    removed = episode.removed_on
    closed_on = episode.discharged_on
    findings = tuple(sorted(events.findings, key=lambda f: (f.on, f.kind)))
    defc, adjudicated_on = date_entered_foster_care(episode, findings, profile)
    episode_findings = _within(findings, episode)
    held = sorted(_within(events.hearings_held, episode), key=lambda h: (h.on, h.kind))
    plans = sorted(
        d for d in events.case_plans if d >= removed and (closed_on is None or d <= closed_on)
    )
    clocks: list[Clock] = []

    def add(
        key: str,
        name: str,
        basis: str,
        start_event: str,
        due: date | None,
        met_on: date | None,
        message: str,
        status: str | None = None,
        **params: object,
    ) -> None:
        final = status or _status(due, met_on, today, profile)
        if (
            closed_on is not None
            and final in (OVERDUE, DUE_SOON, RUNNING, NOT_STARTED)
            and key != "post_reunification"
        ):
            final = NOT_APPLICABLE
            message = gettext_noop("Ended with the discharge from care on %(discharged)s.")
            params = {"discharged": closed_on}
        clocks.append(
            Clock(
                key, name, basis, start_event, final, due, message, {"due": due, **params}, met_on
            )
        )

    # T6 date entered foster care
    defc_met = defc if defc <= today else None
    if adjudicated_on is not None and adjudicated_on == defc:
        defc_message = gettext_noop(
            "The child entered foster care on %(defc)s: the adjudication on %(adjudicated)s came before 60 days after removal on %(removed)s."
        )
    else:
        defc_message = gettext_noop(
            "The child enters foster care on %(defc)s: 60 days after removal on %(removed)s, with no earlier adjudication."
        )
    clocks.append(
        Clock(
            "date_entered_care",
            gettext_noop("Date entered foster care"),
            "SSA 475(5)(F)",
            gettext_noop("Removal"),
            MET if defc_met else RUNNING,
            defc,
            defc_message,
            {"due": defc, "defc": defc, "adjudicated": adjudicated_on, "removed": removed},
            defc_met,
        )
    )

    # T3 relative identification and notice
    due = add_days(removed, profile.relative_notice_days)
    notice = (
        events.relative_notice_on
        if events.relative_notice_on and events.relative_notice_on >= removed
        else None
    )
    add(
        "relative_notice",
        gettext_noop("Relative identification and notice"),
        "SSA 471(a)(29)",
        gettext_noop("Removal"),
        due,
        notice,
        gettext_noop(
            "Notice to adult relatives due %(due)s: %(days)s days after removal on %(removed)s."
        )
        if notice is None
        else gettext_noop("Relatives were notified on %(met)s (due %(due)s)."),
        days=profile.relative_notice_days,
        removed=removed,
        met=notice,
    )

    # T2 reasonable efforts to prevent removal finding
    due = add_days(removed, profile.re_prevent_removal_days)
    made = _first_on_or_after(_kinds(episode_findings, "re_prevent_removal"), removed)
    add(
        "re_prevent_removal",
        gettext_noop("Finding: reasonable efforts to prevent removal"),
        "45 CFR 1356.21(b)(1)",
        gettext_noop("Removal"),
        due,
        made,
        gettext_noop(
            "The court must find reasonable efforts to prevent removal by %(due)s: %(days)s days after removal on %(removed)s."
        )
        if made is None
        else gettext_noop("The finding was made on %(met)s (due %(due)s)."),
        days=profile.re_prevent_removal_days,
        removed=removed,
        met=made,
    )

    # T4 initial case plan
    due = add_days(removed, profile.case_plan_days)
    first_plan = plans[0] if plans else None
    add(
        "case_plan",
        gettext_noop("Initial case plan"),
        "45 CFR 1356.21(g); SSA 475(1)",
        gettext_noop("Removal"),
        due,
        first_plan,
        gettext_noop(
            "The case plan, written with the parents, is due %(due)s: %(days)s days after removal on %(removed)s."
        )
        if first_plan is None
        else gettext_noop("The case plan was completed on %(met)s (due %(due)s)."),
        days=profile.case_plan_days,
        removed=removed,
        met=first_plan,
    )

    # T7 periodic review (every 6 months from DEFC, then from the last review)
    reviews = [h.on for h in held if h.kind in PERIODIC_REVIEW_HEARINGS and h.on >= removed]
    last_review = reviews[-1] if reviews else None
    due = add_months(last_review or defc, profile.periodic_review_months)
    add(
        "periodic_review",
        gettext_noop("Periodic review"),
        "SSA 475(5)(B)",
        gettext_noop("Date entered foster care"),
        due,
        None,
        gettext_noop(
            "Next review due %(due)s: %(months)s months after the last review on %(last)s."
        )
        if last_review
        else gettext_noop(
            "First review due %(due)s: %(months)s months after the child entered foster care on %(defc)s."
        ),
        months=profile.periodic_review_months,
        last=last_review,
        defc=defc,
    )

    # T5 case plan update after each placement change and each periodic review
    last_plan = plans[-1] if plans else None
    firsts = sorted(episode.placements, key=lambda p: p.start)
    triggers = [(p.start, "placement") for p in firsts[1:]] + [(d, "review") for d in reviews]
    pending = sorted(
        t for t in triggers if first_plan is not None and (last_plan is None or t[0] > last_plan)
    )
    if first_plan is None or not triggers:
        add(
            "case_plan_update",
            gettext_noop("Case plan update"),
            "CWPM 8.3C.1",
            gettext_noop("Placement change or review"),
            None,
            None,
            gettext_noop("Starts with the first placement change or review after the case plan."),
            status=NOT_STARTED,
        )
    elif not pending:
        add(
            "case_plan_update",
            gettext_noop("Case plan update"),
            "CWPM 8.3C.1",
            gettext_noop("Placement change or review"),
            None,
            last_plan,
            gettext_noop(
                "The case plan was last updated on %(met)s, after the latest placement change or review."
            ),
            met=last_plan,
        )
    else:
        trigger_on, why = pending[0]
        due = add_days(trigger_on, profile.case_plan_update_days)
        add(
            "case_plan_update",
            gettext_noop("Case plan update"),
            "CWPM 8.3C.1",
            gettext_noop("Placement change or review"),
            due,
            None,
            gettext_noop(
                "Case plan update due %(due)s: %(days)s days after the placement change on %(trigger)s."
            )
            if why == "placement"
            else gettext_noop(
                "Case plan update due %(due)s: %(days)s days after the review on %(trigger)s."
            ),
            days=profile.case_plan_update_days,
            trigger=trigger_on,
        )

    # T8 / T9 permanency hearing
    permanency = [h.on for h in held if h.kind == "permanency" and h.on >= removed]
    last_permanency = permanency[-1] if permanency else None
    due = add_months(last_permanency or defc, profile.permanency_hearing_months)
    message = (
        gettext_noop(
            "Next permanency hearing due %(due)s: %(months)s months after the last one on %(last)s."
        )
        if last_permanency
        else gettext_noop(
            "Permanency hearing due %(due)s: %(months)s months after the child entered foster care on %(defc)s."
        )
    )
    not_required = [
        d
        for d in _kinds(episode_findings, "aggravated_circumstances")
        if last_permanency is None or d > last_permanency
    ]
    if not_required:
        sooner = add_days(not_required[0], profile.permanency_after_re_not_required_days)
        if sooner < due:
            due = sooner
            message = gettext_noop(
                "Permanency hearing due %(due)s: %(days)s days after the court found reunification efforts not required on %(finding)s."
            )
    add(
        "permanency_hearing",
        gettext_noop("Permanency hearing"),
        "SSA 475(5)(C); 471(a)(15)(E)(i)",
        gettext_noop("Date entered foster care"),
        due,
        None,
        message,
        months=profile.permanency_hearing_months,
        last=last_permanency,
        defc=defc,
        days=profile.permanency_after_re_not_required_days,
        finding=not_required[0] if not_required else None,
    )

    # T10 reasonable efforts to finalize the permanency plan (rolling 12 months)
    finalize = _kinds(episode_findings, "re_finalize_permanency")
    last_finalize = finalize[-1] if finalize else None
    due = add_months(last_finalize or defc, profile.re_finalize_months)
    add(
        "re_finalize",
        gettext_noop("Finding: reasonable efforts to finalize the permanency plan"),
        "45 CFR 1356.21(b)(2)",
        gettext_noop("Date entered foster care"),
        due,
        None,
        gettext_noop("Next finding due %(due)s: %(months)s months after the last one on %(last)s.")
        if last_finalize
        else gettext_noop(
            "Finding due %(due)s: %(months)s months after the child entered foster care on %(defc)s."
        ),
        months=profile.re_finalize_months,
        last=last_finalize,
        defc=defc,
    )

    # T11 15 of the most recent 22 months
    clocks.append(_tpr_15_22(events, findings, today, profile, closed_on))

    # T13 trial home visit limit
    thv = next(
        (
            p
            for p in sorted(episode.placements, key=lambda p: p.start, reverse=True)
            if p.setting == "trial_home_visit"
        ),
        None,
    )
    if thv is None:
        add(
            "thv_limit",
            gettext_noop("Trial home visit limit"),
            "45 CFR 1356.21(e)",
            gettext_noop("Trial home visit begins"),
            None,
            None,
            gettext_noop("No trial home visit in this episode."),
            status=NOT_APPLICABLE,
        )
    else:
        limit = add_months(thv.start, profile.thv_limit_months)
        extended = [
            o.until
            for o in events.orders
            if o.kind == "thv_authorization" and o.until and o.on <= limit and o.until > limit
        ]
        due = max([limit, *[u for u in extended if u is not None]])
        ended = thv.end if thv.end is not None else None
        add(
            "thv_limit",
            gettext_noop("Trial home visit limit"),
            "45 CFR 1356.21(e)",
            gettext_noop("Trial home visit begins"),
            due,
            ended,
            gettext_noop("The trial home visit that began %(start)s ended on %(met)s.")
            if ended
            else (
                gettext_noop(
                    "The trial home visit that began %(start)s may last until %(due)s, as the court ordered."
                )
                if due > limit
                else gettext_noop(
                    "The trial home visit that began %(start)s reaches its 6-month limit on %(due)s; after that the child is treated as discharged."
                )
            ),
            start=thv.start,
            met=ended,
        )

    # Concurrent-planning review at 6 months
    due = add_months(removed, profile.concurrent_review_months)
    review = next(iter(sorted(events.concurrent_reviews, key=lambda r: r.on)), None)
    if review is None:
        add(
            "concurrent_review",
            gettext_noop("Concurrent-planning review"),
            "ASFA concurrent planning; 45 CFR 1356.21(b)(2)(i)",
            gettext_noop("Removal"),
            due,
            None,
            gettext_noop(
                "Record by %(due)s whether reunification within 6 months is likely; if not, set a concurrent goal."
            ),
        )
    elif review.kind == "unlikely" and events.concurrent_goal_since is None:
        add(
            "concurrent_review",
            gettext_noop("Concurrent-planning review"),
            "ASFA concurrent planning",
            gettext_noop("Removal"),
            review.on,
            None,
            gettext_noop(
                "On %(reviewed)s reunification within 6 months was judged unlikely, but no concurrent goal is set."
            ),
            status=OVERDUE,
            reviewed=review.on,
        )
    else:
        add(
            "concurrent_review",
            gettext_noop("Concurrent-planning review"),
            "ASFA concurrent planning",
            gettext_noop("Removal"),
            due,
            review.on,
            gettext_noop("Reviewed on %(met)s (due %(due)s)."),
            met=review.on,
        )

    # T15 first caseworker visit after a placement or move (state rule)
    if profile.first_visit_after_placement_days:
        latest = max(episode.placements, key=lambda p: p.start) if episode.placements else None
        if latest is None or latest.setting == "runaway":
            add(
                "first_visit",
                gettext_noop("First visit after placement"),
                "State policy",
                gettext_noop("Placement or move"),
                None,
                None,
                gettext_noop("No placement to visit."),
                status=NOT_APPLICABLE,
            )
        else:
            due = add_days(latest.start, profile.first_visit_after_placement_days)
            visit = _first_on_or_after(events.visits, latest.start)
            add(
                "first_visit",
                gettext_noop("First visit after placement"),
                "State policy",
                gettext_noop("Placement or move"),
                due,
                visit,
                gettext_noop(
                    "Visit the child in the new placement by %(due)s: %(days)s days after the move on %(start)s."
                )
                if visit is None
                else gettext_noop("Visited on %(met)s after the move on %(start)s (due %(due)s)."),
                days=profile.first_visit_after_placement_days,
                start=latest.start,
                met=visit,
            )

    # T14 monthly caseworker visit: this calendar month, once the child is in care in it
    month_first = today.replace(day=1)
    month_last = add_days(add_months(month_first, 1), -1)
    if removed <= month_last:
        visited = _first_on_or_after(events.visits, max(month_first, removed), month_last)
        add(
            "monthly_visit",
            gettext_noop("Caseworker visit this month"),
            "SSA 422(b)(17), 424(e)",
            gettext_noop("Each month in care"),
            month_last,
            visited,
            gettext_noop(
                "Visit the child face to face by %(due)s; most months' visits should be in the child's home."
            )
            if visited is None
            else gettext_noop("Visited face to face on %(met)s this month (due %(due)s)."),
            met=visited,
        )

    # Shelter / preliminary hearing (state rule)
    if profile.shelter_hearing_days:
        due = add_days(removed, profile.shelter_hearing_days)
        shelter = _first_on_or_after([h.on for h in held if h.kind == "shelter"], removed)
        add(
            "shelter_hearing",
            gettext_noop("Shelter care hearing"),
            "State statute",
            gettext_noop("Removal"),
            due,
            shelter,
            gettext_noop(
                "Shelter care hearing due %(due)s: %(days)s days after removal on %(removed)s."
            )
            if shelter is None
            else gettext_noop("The shelter care hearing was held on %(met)s (due %(due)s)."),
            days=profile.shelter_hearing_days,
            removed=removed,
            met=shelter,
        )

    # T20 post-reunification service window
    if closed_on is not None and episode.discharge_reason == "reunification":
        end = add_months(closed_on, profile.post_reunification_months)
        status = RUNNING if today <= end else NOT_APPLICABLE
        clocks.append(
            Clock(
                "post_reunification",
                gettext_noop("Post-reunification services window"),
                "SSA 431(a)(7) (FFPSA)",
                gettext_noop("Return home"),
                status,
                end,
                gettext_noop(
                    "Family reunification services may be funded until %(due)s: %(months)s months after the return home on %(returned)s."
                ),
                {"due": end, "months": profile.post_reunification_months, "returned": closed_on},
            )
        )
    else:
        clocks.append(
            Clock(
                "post_reunification",
                gettext_noop("Post-reunification services window"),
                "SSA 431(a)(7) (FFPSA)",
                gettext_noop("Return home"),
                NOT_STARTED,
                None,
                gettext_noop("Starts when the child returns home."),
                {},
            )
        )
    return clocks


def _tpr_15_22(
    events: ChildEvents,
    findings: Sequence[Dated],
    today: date,
    profile: Profile,
    closed_on: date | None,
) -> Clock:
    name, basis, start = (
        gettext_noop("15 of the most recent 22 months"),
        "SSA 475(5)(E); 45 CFR 1356.21(i)",
        gettext_noop("Date entered foster care"),
    )
    exception = next(
        (
            e
            for e in sorted(events.exceptions, key=lambda e: e.on)
            if e.kind.startswith("tpr_15_22:")
        ),
        None,
    )
    filed = _first_on_or_after(_kinds(events.petitions, "tpr"), events.episode.removed_on)
    episodes = (events.episode, *events.other_episodes)
    intervals = _counted_intervals(episodes, findings, profile, today)
    threshold = round(profile.tpr_months * DAYS_PER_MONTH)
    window = round(profile.tpr_window_months * DAYS_PER_MONTH)
    counted = months_in_care_15_22(intervals, today, window)
    months = round(counted / DAYS_PER_MONTH, 1)
    first_defc, _adj = date_entered_foster_care(events.episode, findings, profile)
    reached = _day_15_of_22_reached(intervals, threshold, window, not_before=first_defc.toordinal())
    due = date.fromordinal(reached) if reached is not None else None
    params: dict[str, object] = {"due": due, "months": months}
    if filed is not None:
        return Clock(
            "tpr_15_22",
            name,
            basis,
            start,
            MET,
            due,
            gettext_noop("A termination petition was filed on %(met)s."),
            params | {"met": filed},
            filed,
        )
    if exception is not None:
        reason = exception.kind.split(":", 1)[1]
        return Clock(
            "tpr_15_22",
            name,
            basis,
            start,
            EXCEPTED,
            due,
            gettext_noop(
                "Exception recorded on %(recorded)s (%(reason)s): no termination petition is required."
            ),
            params | {"recorded": exception.on, "reason": reason},
        )
    if closed_on is not None:
        return Clock(
            "tpr_15_22",
            name,
            basis,
            start,
            NOT_APPLICABLE,
            due,
            gettext_noop("Ended with the discharge from care on %(discharged)s."),
            params | {"discharged": closed_on},
        )
    if due is None:
        return Clock(
            "tpr_15_22",
            name,
            basis,
            start,
            RUNNING,
            None,
            gettext_noop(
                "%(months)s months counted in the last 22; trial home visit and runaway days do not count."
            ),
            params,
        )
    status = (
        OVERDUE
        if today > due
        else (DUE_SOON if (due - today).days <= profile.due_soon_days else RUNNING)
    )
    return Clock(
        "tpr_15_22",
        name,
        basis,
        start,
        status,
        due,
        gettext_noop(
            "15 of the last 22 months in care reached on %(due)s (%(months)s months counted today): file a termination petition or record an exception."
        ),
        params,
    )


def order(clocks: Iterable[Clock]) -> list[Clock]:
    """Overdue first, then by due date."""
    rank = {
        OVERDUE: 0,
        DUE_SOON: 1,
        RUNNING: 2,
        NOT_STARTED: 3,
        MET: 4,
        EXCEPTED: 5,
        NOT_APPLICABLE: 6,
    }
    return sorted(clocks, key=lambda c: (rank[c.status], c.due or date.max, c.key))


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One time a clock came due: when it was due and when (if) it was met."""

    key: str
    due: date
    met_on: date | None

    def on_time(self, today: date) -> bool | None:
        """True met on time, False late or overdue, None not yet due and not met."""
        if self.met_on is not None:
            return self.met_on <= self.due
        return False if today > self.due else None


def occurrences(events: ChildEvents, *, profile: Profile) -> list[Occurrence]:
    """Every due date the episode has had, for compliance rates: the one-time clocks, and each
    recurrence of the recurring ones (each permanency hearing was due 12 months after the one
    before it, or after the date entered foster care)."""
    episode = events.episode
    removed = episode.removed_on
    findings = tuple(sorted(events.findings, key=lambda f: (f.on, f.kind)))
    defc, _adj = date_entered_foster_care(episode, findings, profile)
    episode_findings = _within(findings, episode)
    held = sorted(_within(events.hearings_held, episode), key=lambda h: (h.on, h.kind))
    result: list[Occurrence] = []

    def chain(key: str, dates: list[date], months: int) -> None:
        anchor = defc
        for on in dates:
            result.append(Occurrence(key, add_months(anchor, months), on))
            anchor = on
        result.append(Occurrence(key, add_months(anchor, months), None))

    chain(
        "permanency_hearing",
        [h.on for h in held if h.kind == "permanency"],
        profile.permanency_hearing_months,
    )
    chain(
        "periodic_review",
        [h.on for h in held if h.kind in PERIODIC_REVIEW_HEARINGS],
        profile.periodic_review_months,
    )
    chain(
        "re_finalize",
        _kinds(episode_findings, "re_finalize_permanency"),
        profile.re_finalize_months,
    )
    plans = sorted(d for d in events.case_plans if d >= removed)
    notice = (
        events.relative_notice_on
        if events.relative_notice_on and events.relative_notice_on >= removed
        else None
    )
    result.append(
        Occurrence("relative_notice", add_days(removed, profile.relative_notice_days), notice)
    )
    result.append(
        Occurrence(
            "case_plan", add_days(removed, profile.case_plan_days), plans[0] if plans else None
        )
    )
    result.append(
        Occurrence(
            "re_prevent_removal",
            add_days(removed, profile.re_prevent_removal_days),
            _first_on_or_after(_kinds(episode_findings, "re_prevent_removal"), removed),
        )
    )
    if profile.shelter_hearing_days:
        result.append(
            Occurrence(
                "shelter_hearing",
                add_days(removed, profile.shelter_hearing_days),
                _first_on_or_after([h.on for h in held if h.kind == "shelter"], removed),
            )
        )
    if episode.discharged_on is not None:
        result = [o for o in result if o.met_on is not None or o.due <= episode.discharged_on]
    return result
