"""Reads for the road home: the facts the pure rules (`cases.road_home`) judge, gathered from the
record, and the pages' reads. The assessments app is read here and nowhere else in this app.

Each page reads a fixed number of queries whatever the number of visits, adults or contacts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from reunify.assessments import selectors as assessments
from reunify.case_plans import document as plan_document
from reunify.case_plans.models import FamilyPlan, GoalProgress, VersionStatus
from reunify.cases import road_home as rules
from reunify.cases.models import DischargeReason, FamilyCase, RemovalEpisode
from reunify.clocks import profiles
from reunify.clocks.dates import add_months
from reunify.clocks.rules import Profile
from reunify.court.models import CourtOrder, Hearing, OrderKind, Petition
from reunify.family_time.models import FamilyTimeSession, SessionStatus
from reunify.people.models import Person
from reunify.road_home.models import (
    AftercareContact,
    AftercarePlan,
    ClosureRequest,
    ContactStatus,
    SafetyPlan,
    SafetyPlanStatus,
    ThvBasis,
    TrialHomeVisit,
)

RETURN_HOME = "return_home"


def profile_for(case: FamilyCase) -> Profile:
    return profiles.get(case.agency.clock_profile)


# ---- trial home visit ------------------------------------------------------------------------


def thv_authorization(*, case: FamilyCase, child: Person, on: dt.date) -> CourtOrder | None:
    """The latest court order authorizing a trial home visit for the child (or all the children
    of the case) issued by `on` and still in effect that day."""
    return (
        CourtOrder.objects.filter(case=case, kind=OrderKind.THV_AUTHORIZATION, issued_on__lte=on)
        .filter(Q(child=child) | Q(child__isnull=True))
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on))
        .order_by("-issued_on", "-id")
        .first()
    )


@dataclass(frozen=True)
class ThvReadiness:
    """What the pure rule is fed, and the facts behind it for the page."""

    facts: rules.ThvStart
    problems: list[str]
    basis: str  # ThvBasis value, "" when neither holds
    recommendation: assessments.Recommendation | None
    order: CourtOrder | None


def thv_readiness(thv: TrialHomeVisit, *, on: dt.date) -> ThvReadiness:
    """Whether the trial home visit may start on `on`: the recorded recommendation or the
    conditions for return, the court's authorization where the profile requires it, the
    household's background checks, the safety and crisis plans and the transition visits."""
    episode = thv.episode
    case, child = episode.case, episode.child
    recommendation = assessments.recommendation(case=case, child=child)
    recommended = recommendation is not None and recommendation.outcome == RETURN_HOME
    met = assessments.conditions_met(case=case, child=child)
    required = profile_for(case).thv_requires_court_authorization
    order = thv_authorization(case=case, child=child, on=on)
    facts = rules.ThvStart(
        return_recommended=recommended,
        conditions_for_return_met=met,
        court_authorization_required=required,
        court_authorized=order is not None,
        other_adults=tuple(
            rules.HouseholdAdult(a.name, a.background_check) for a in thv.adults.all()
        ),
        safety_actions=tuple(
            rules.SafetyAction(s.action, s.responsible_adult, s.how_checked)
            for s in thv.safety_plan.actions.all()
        ),
        crisis_plan=rules.CrisisPlan(thv.crisis_who_to_call, thv.crisis_what_happens)
        if (thv.crisis_who_to_call or thv.crisis_what_happens)
        else None,
        transition_sessions_planned=transition_sessions(thv).count(),
    )
    basis = ThvBasis.RECOMMENDATION if recommended else (ThvBasis.CONDITIONS if met else "")
    return ThvReadiness(
        facts=facts,
        problems=rules.thv_start_problems(facts),
        basis=basis,
        recommendation=recommendation,
        order=order,
    )


def transition_sessions(thv: TrialHomeVisit) -> QuerySet[FamilyTimeSession]:
    """The visit's transition visits as the family-time sessions they are, leaving out the ones
    cancelled (on the family-time page): what the start rule counts."""
    return FamilyTimeSession.objects.filter(transition_visit__thv=thv).exclude(
        status=SessionStatus.CANCELLED
    )


def thv_for_page(pk: int, visible: QuerySet[TrialHomeVisit]) -> TrialHomeVisit | None:
    return (
        visible.select_related(
            "episode__case__agency", "episode__child", "safety_plan", "court_order", "placement"
        )
        .prefetch_related("adults", "transition_visits__session", "safety_plan__actions")
        .filter(pk=pk)
        .first()
    )


def thv_limit(thv: TrialHomeVisit) -> dt.date | None:
    """The day the visit reaches the profile's limit (the court may extend it: What's due shows
    the clock with the extension)."""
    if thv.started_on is None:
        return None
    return add_months(thv.started_on, profile_for(thv.episode.case).thv_limit_months)


# ---- aftercare -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reunified:
    """Children of the case discharged to reunification on `returned_on` (the latest return)."""

    returned_on: dt.date
    children: list[Person]


def latest_reunification(case: FamilyCase) -> Reunified | None:
    episodes = list(
        RemovalEpisode.objects.filter(case=case, discharge_reason=DischargeReason.REUNIFICATION)
        .select_related("child")
        .order_by("-discharged_on", "child_id")
    )
    if not episodes:
        return None
    latest = episodes[0].discharged_on
    if latest is None:  # a discharge reason comes with a date (database constraint)
        return None
    return Reunified(latest, [e.child for e in episodes if e.discharged_on == latest])


@dataclass
class ContactLine:
    contact: AftercareContact
    overdue: bool


@dataclass
class AftercarePage:
    plan: AftercarePlan
    children: list[Person]
    contacts: list[ContactLine]
    ends_on: dt.date
    services_window_ends_on: dt.date  # IV-B(2) post-reunification services (T20)
    window_months: int

    @property
    def overdue(self) -> list[ContactLine]:
        return [c for c in self.contacts if c.overdue]

    @property
    def held(self) -> int:
        return sum(1 for c in self.contacts if c.contact.status == ContactStatus.HELD)

    @property
    def missed(self) -> int:
        return sum(1 for c in self.contacts if c.contact.status == ContactStatus.MISSED)


def is_overdue(contact: AftercareContact, today: dt.date) -> bool:
    return contact.status == ContactStatus.PLANNED and contact.due_on < today


def aftercare_page(plan: AftercarePlan, *, today: dt.date) -> AftercarePage:
    profile = profile_for(plan.case)
    contacts = list(plan.contacts.select_related("recorded_by"))
    return AftercarePage(
        plan=plan,
        children=list(plan.children.order_by("date_of_birth", "pk")),
        contacts=[ContactLine(c, is_overdue(c, today)) for c in contacts],
        ends_on=add_months(plan.returned_on, plan.months),
        services_window_ends_on=add_months(plan.returned_on, profile.post_reunification_months),
        window_months=profile.post_reunification_months,
    )


# ---- closure ---------------------------------------------------------------------------------


def _current_goals(case: FamilyCase) -> list[rules.Goal]:
    """The goals of the current plan version (the draft if there is one, else the final one),
    each met when its latest behavioural progress rating says the change is sustained."""
    plan = FamilyPlan.objects.filter(case=case).first()
    if plan is None:
        return []
    version = plan.versions.exclude(status=VersionStatus.SUPERSEDED).order_by("-number").first()
    goals = (version.document if version else {}).get("goals", [])
    latest: dict[str, int] = {}
    for key, rating in GoalProgress.objects.filter(plan=plan).values_list("goal_key", "rating"):
        latest.setdefault(key, rating)  # ordered newest first (model ordering)
    return [
        rules.Goal(g.get("change", "") or g["key"], plan_document.goal_met(latest.get(g["key"])))
        for g in goals
        if g.get("key")
    ]


def court_involved(case: FamilyCase) -> bool:
    return (
        Petition.objects.filter(case=case).exists()
        or Hearing.objects.filter(case=case).exists()
        or CourtOrder.objects.filter(case=case).exists()
    )


def closure_facts(case: FamilyCase) -> rules.Closure:
    safety = assessments.closing_safety(case=case)
    reunified = latest_reunification(case) is not None
    return rules.Closure(
        safety_assessment_recorded=safety.recorded,
        active_threats=tuple(safety.active_threats),
        risk_level=assessments.risk_level(case=case),
        goals=tuple(_current_goals(case)),
        court_involved=court_involved(case),
        court_dismissed=CourtOrder.objects.filter(case=case, kind=OrderKind.DISMISSAL).exists(),
        any_child_reunified=reunified,
        aftercare_plan=AftercarePlan.objects.filter(case=case).exists(),
        open_safety_plan=SafetyPlan.objects.filter(
            case=case, status=SafetyPlanStatus.OPEN
        ).exists(),
        children_in_care=tuple(
            e.child.full_name
            for e in RemovalEpisode.objects.filter(case=case, discharged_on__isnull=True)
            .select_related("child")
            .order_by("child__date_of_birth", "child_id")
        ),
    )


def closure_checklist(case: FamilyCase) -> list[rules.ChecklistItem]:
    return rules.closure_checklist(closure_facts(case))


# ---- the case's road home --------------------------------------------------------------------


@dataclass
class RoadHome:
    case: FamilyCase
    episodes: list[RemovalEpisode]
    visits: list[TrialHomeVisit]
    safety_plans: list[SafetyPlan]
    aftercare: list[AftercarePlan]
    closure_requests: list[ClosureRequest]
    overdue_contacts: int
    limits: dict[int, dt.date | None] = field(default_factory=dict)

    @property
    def waiting_request(self) -> ClosureRequest | None:
        return next((r for r in self.closure_requests if r.is_waiting), None)


def road_home(case: FamilyCase, *, today: dt.date) -> RoadHome:
    visits = list(
        TrialHomeVisit.objects.filter(episode__case=case).select_related(
            "episode__child", "safety_plan"
        )
    )
    profile = profile_for(case)
    return RoadHome(
        case=case,
        episodes=list(
            RemovalEpisode.objects.filter(case=case, discharged_on__isnull=True)
            .select_related("child")
            .order_by("child__date_of_birth", "child_id")
        ),
        visits=visits,
        safety_plans=list(
            SafetyPlan.objects.filter(case=case).select_related("child", "trial_home_visit")
        ),
        aftercare=list(AftercarePlan.objects.filter(case=case).prefetch_related("children")),
        closure_requests=list(
            ClosureRequest.objects.filter(case=case).select_related("requested_by", "decided_by")
        ),
        overdue_contacts=AftercareContact.objects.filter(
            plan__case=case, status=ContactStatus.PLANNED, due_on__lt=today
        ).count(),
        limits={
            v.pk: add_months(v.started_on, profile.thv_limit_months) if v.started_on else None
            for v in visits
        },
    )
