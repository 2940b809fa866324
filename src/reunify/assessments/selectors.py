"""Reads of assessments: the contract other apps code against (`recommendation`, `conditions`,
`conditions_met`, `risk_level`, `safety_decision`, `closing_safety`), the visitation prefill
the reunification assessment reads from recorded family time, and the pages' reads.

Each contract function is one or two queries; none checks permission (the caller has already
authorised the case)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet

from reunify.assessments import display
from reunify.assessments.display import CLOSING_SAFETY, IN_HOME_SAFETY, REUNIFICATION
from reunify.assessments.instruments import (
    Instrument,
    InstrumentError,
    Value,
    builtin,
    builtin_keys,
    builtin_versions,
)
from reunify.assessments.models import (
    ConditionForReturn,
    ConditionStatus,
    InstrumentWording,
    Response,
    ResponseChild,
)
from reunify.cases.models import CaseParticipant, FamilyCase, ParticipantRole, RemovalEpisode
from reunify.clocks.models import ClockSnapshot, ClockStatus
from reunify.core import clock
from reunify.family_time import evaluation as ft_evaluation
from reunify.family_time import selectors as family_time_selectors
from reunify.people.models import Person

PRESENT = "present"  # the closing safety assessment's answer for a threat that is there

# ---- the contract -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    outcome: str  # "return_home" | "continue_reunification" | "change_goal"
    label: str
    response: Response
    recorded_on: dt.date


def _covering(case: FamilyCase, key: str, child: Person) -> QuerySet[ResponseChild]:
    return (
        ResponseChild.objects.filter(response__case=case, response__instrument_key=key, child=child)
        .select_related("response")
        .order_by("-response__recorded_on", "-response_id")
    )


def recommendation(*, case: FamilyCase, child: Person) -> Recommendation | None:
    """The final outcome (after overrides) for the child of the latest reunification assessment
    covering them; None when none covers them."""
    covered = _covering(case, REUNIFICATION, child).first()
    if covered is None or not covered.outcome:
        return None
    return Recommendation(
        outcome=covered.outcome,
        label=display.outcome_label(covered.outcome),
        response=covered.response,
        recorded_on=covered.response.recorded_on,
    )


def _for_child(child: Person) -> Q:
    """The child's own conditions and the household conditions of responses covering them."""
    return Q(child=child) | Q(child__isnull=True, response__covered__child=child)


def conditions(*, case: FamilyCase, child: Person | None = None) -> list[ConditionForReturn]:
    """Conditions for return of the case (child=None) or of one child, oldest first."""
    found = ConditionForReturn.objects.filter(case=case)
    if child is not None:
        found = found.filter(_for_child(child)).distinct()
    return list(found.select_related("child", "response").order_by("created_on", "id"))


def conditions_met(*, case: FamilyCase, child: Person) -> bool:
    """An in-home safety analysis covering the child is recorded and none of the conditions for
    the child is open."""
    if not _covering(case, IN_HOME_SAFETY, child).exists():
        return False
    return not (
        ConditionForReturn.objects.filter(case=case, status=ConditionStatus.OPEN)
        .filter(_for_child(child))
        .exists()
    )


def _latest(case: FamilyCase, key: str, child: Person | None = None) -> Response | None:
    found = Response.objects.filter(case=case, instrument_key=key)
    if child is not None:
        found = found.filter(covered__child=child)
    return found.order_by("-recorded_on", "-id").first()


def risk_level(*, case: FamilyCase) -> str:
    """The final risk level (after overrides) of the latest reunification assessment; ""."""
    latest = _latest(case, REUNIFICATION)
    return latest.risk_level if latest else ""


def safety_decision(*, case: FamilyCase, child: Person | None = None) -> str:
    """The safety decision of the latest reunification assessment (covering the child); "" when
    none is recorded or the table did not ask for it."""
    latest = _latest(case, REUNIFICATION, child)
    return latest.safety_decision if latest else ""


@dataclass(frozen=True)
class ClosingSafety:
    recorded: bool
    active_threats: tuple[str, ...]
    recorded_on: dt.date | None


def closing_safety(*, case: FamilyCase) -> ClosingSafety:
    """From the latest closing safety assessment: the labels (active language) of the threats
    answered present."""
    latest = _latest(case, CLOSING_SAFETY)
    if latest is None:
        return ClosingSafety(recorded=False, active_threats=(), recorded_on=None)
    instrument = instrument_of(latest)
    items = instrument.items
    threats = tuple(
        display.item_label(items[item_id])
        for item_id, answer in latest.answers.items()
        if item_id in items
        and isinstance(answer, dict)
        and answer.get("value") == PRESENT
        and instrument.section_of(item_id).id == "threats"
    )
    return ClosingSafety(recorded=True, active_threats=threats, recorded_on=latest.recorded_on)


# ---- children a response may cover --------------------------------------------------------------


def children_in_care(case: FamilyCase) -> list[tuple[Person, RemovalEpisode]]:
    """The case's children with an open removal episode, oldest first, with the episode."""
    episodes = (
        RemovalEpisode.objects.filter(case=case, discharged_on__isnull=True)
        .select_related("child")
        .order_by("child__date_of_birth", "child_id")
    )
    return [(e.child, e) for e in episodes]


def case_children(case: FamilyCase) -> list[Person]:
    return [
        p.person
        for p in CaseParticipant.objects.filter(case=case, role=ParticipantRole.CHILD)
        .select_related("person")
        .order_by("person__date_of_birth", "person_id")
    ]


# ---- visitation prefilled from family time ---------------------------------------------------

# How the reunification assessment's visitation items are filled from recorded family time
# (family_time.evaluation; ADR 0009). Reunify defaults, to confirm with the jurisdiction:
# - visits_scheduled / visits_completed: the sessions with the parents that came due in the
#   90 days up to the assessment, and those held;
# - visit_compliance from the attendance rating: consistent (90%+) -> excellent; mostly
#   consistent (75-89%) -> good; inconsistent -> fair from 50%, poor below; too few sessions
#   to judge -> not filled (the worker rates it);
# - visit_quality from the mean quality of the rated held sessions (1 concerning .. 4 strong):
#   3.5+ strong, 2.5+ adequate, 1.5+ limited, below harmful; a safety incident in the period
#   caps it at limited; no rated session -> not filled.
FAIR_PERCENT = 50
COMPLIANCE = {
    ft_evaluation.CONSISTENT: "excellent",
    ft_evaluation.MOSTLY_CONSISTENT: "good",
}
QUALITY_CUTS = ((3.5, "strong"), (2.5, "adequate"), (1.5, "limited"))
QUALITY_ORDER = ("strong", "adequate", "limited", "harmful")


def visitation_answers(ev: ft_evaluation.Evaluation) -> dict[str, Value]:
    """The visitation items the records answer (an item the records cannot rate is absent)."""
    found: dict[str, Value] = {"visits_scheduled": ev.scheduled, "visits_completed": ev.completed}
    # v3 "no visitation" flag (reference/domain.md 6.1 Section B): no session with the parents
    # came due in the period. Read only by versions that have the item.
    found["no_visitation"] = "yes" if ev.scheduled == 0 else "no"
    rating = ev.rating
    if rating in COMPLIANCE:
        found["visit_compliance"] = COMPLIANCE[rating]
    elif rating == ft_evaluation.INCONSISTENT:
        percent = ev.attendance_percent or 0
        found["visit_compliance"] = "fair" if percent >= FAIR_PERCENT else "poor"
    mean = ev.quality_average
    if mean is not None:
        quality = next((name for cut, name in QUALITY_CUTS if mean >= cut), "harmful")
        if ev.incidents and QUALITY_ORDER.index(quality) < QUALITY_ORDER.index("limited"):
            quality = "limited"
        found["visit_quality"] = quality
    return found


# The time-limit rule (reference/domain.md 6.1; ADR 0009): the reunification time frame is
# exhausted when the child's 15-of-the-most-recent-22-months day (T11, the clocks app's
# `tpr_15_22` snapshot of the episode) falls on or before the assessment date, unless an
# exception (relative care, a compelling reason, services not provided) is recorded. No
# snapshot: not filled (the worker answers).
TIME_FRAME_CLOCK = "tpr_15_22"


def time_frame_exhausted(snapshot: ClockSnapshot | None, on: dt.date) -> Value | None:
    if snapshot is None:
        return None
    if snapshot.status == ClockStatus.EXCEPTED:
        return "no"
    return "yes" if snapshot.due is not None and snapshot.due <= on else "no"


@dataclass(frozen=True)
class VisitationPrefill:
    child: Person
    episode: RemovalEpisode | None
    evaluation: ft_evaluation.Evaluation | None
    values: dict[str, Value]


def prefill_moment(on: dt.date, tz: ZoneInfo | None = None) -> dt.datetime:
    """The instant family time is read up to for an assessment dated `on`: now for today, else
    the end of that day."""
    tz = tz or clock.agency_zone()
    now = clock.now()
    end = dt.datetime.combine(on + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return min(now, end)


def visitation_prefill(
    *, case: FamilyCase, children: list[Person], on: dt.date
) -> dict[str, VisitationPrefill]:
    """Per child key (str(pk)): what recorded family time says for the visitation items."""
    tz = clock.agency_zone()
    moment = prefill_moment(on, tz)
    episodes = {
        e.child_id: e
        for e in RemovalEpisode.objects.filter(
            case=case, child__in=children, discharged_on__isnull=True
        )
    }
    snapshots = {
        s.episode_id: s
        for s in ClockSnapshot.objects.filter(
            episode__in=list(episodes.values()), key=TIME_FRAME_CLOCK
        )
    }
    found: dict[str, VisitationPrefill] = {}
    for child in children:
        episode = episodes.get(child.pk)
        if episode is None:
            found[str(child.pk)] = VisitationPrefill(child, None, None, {})
            continue
        ev = family_time_selectors.visitation_evaluation(episode=episode, now=moment, tz=tz)
        values = visitation_answers(ev)
        exhausted = time_frame_exhausted(snapshots.get(episode.pk), on)
        if exhausted is not None:
            values["time_frame_exhausted"] = exhausted
        found[str(child.pk)] = VisitationPrefill(child, episode, ev, values)
    return found


# ---- pages ----------------------------------------------------------------------------------------


def responses(*, case: FamilyCase) -> list[Response]:
    return list(
        Response.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related("covered__child", "conditions")
        .order_by("-recorded_on", "-id")
    )


# ---- definitions, with the agency's licensed wording ------------------------------------------


@lru_cache(maxsize=128)
def _definition(
    key: str, version: int | None, wording: tuple[tuple[str, str], ...] = ()
) -> Instrument:
    if not wording:
        return builtin(key, version)
    try:
        return builtin(key, version, wording=dict(wording))
    except InstrumentError:
        # Stored wording is validated when written (services.wording_set); should a definition
        # ever disagree, the page still shows the built-in short labels rather than failing.
        return builtin(key, version)


def wording_rows(*, agency_id: int | None, key: str, version: int) -> dict[str, InstrumentWording]:
    """The agency's wording of one instrument version, by item id."""
    if agency_id is None:
        return {}
    return {
        w.item_id: w
        for w in InstrumentWording.objects.filter(
            agency_id=agency_id, instrument_key=key, instrument_version=version
        )
    }


def wording_counts(*, agency_id: int) -> dict[tuple[str, int], int]:
    """How many items of each (instrument, version) the agency has worded."""
    found: dict[tuple[str, int], int] = {}
    for row in (
        InstrumentWording.objects.filter(agency_id=agency_id)
        .values("instrument_key", "instrument_version")
        .annotate(n=Count("id"))
    ):
        found[(row["instrument_key"], row["instrument_version"])] = row["n"]
    return found


def _wording(agency_id: int | None, key: str, version: int) -> tuple[tuple[str, str], ...]:
    """The agency's wording in the active language: the Spanish text when the page is in
    Spanish and the agency gave one, else the English text."""
    rows = wording_rows(agency_id=agency_id, key=key, version=version)
    return tuple(
        sorted((item_id, display.localized(w.text, w.text_es)) for item_id, w in rows.items())
    )


def instrument_for(*, key: str, version: int | None = None, agency_id: int | None) -> Instrument:
    """A built-in definition (the latest version unless `version` names one) with the agency's
    licensed wording on its items when the instrument is licensed. Wording is display only."""
    plain = _definition(key, version)
    if not plain.licensed or agency_id is None:
        return plain
    return _definition(key, plain.version, _wording(agency_id, key, plain.version))


def instrument_of(response: Response) -> Instrument:
    """The definition a stored response was made with, never the latest one, worded by the
    response's agency."""
    return instrument_for(
        key=response.instrument_key,
        version=response.instrument_version,
        agency_id=response.case.agency_id,
    )


def latest_instrument(key: str, *, agency_id: int | None = None) -> Instrument:
    return instrument_for(key=key, agency_id=agency_id)


def latest_version(key: str) -> int:
    return _definition(key, None).version


def licensed_versions() -> list[Instrument]:
    """Every version of every licensed built-in (plain definitions), by key then version."""
    found = []
    for key in builtin_keys():
        for version in builtin_versions(key):
            instrument = _definition(key, version)
            if instrument.licensed:
                found.append(instrument)
    return found
