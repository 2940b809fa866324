"""Road-home pages: a case's road home (trial home visits, safety plans, aftercare, closure), a
trial home visit with what is still missing before it may start, a safety plan, an aftercare plan
with its follow-up contacts, the closure checklist and the supervisor's decision. Parse,
authorise, call one service or selector, render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.cases.models import (
    CaseParticipant,
    FamilyCase,
    ParticipantRole,
    RemovalEpisode,
    ResourceProvider,
)
from reunify.core import audit, clock
from reunify.core.concurrency import StaleEditError
from reunify.core.forms_errors import apply_errors
from reunify.core.models import AuditEvent
from reunify.core.views import authorize
from reunify.road_home import permissions, selectors, services
from reunify.road_home.forms import (
    AdultCheckForm,
    AdultForm,
    AftercarePlanForm,
    ClosureDecisionForm,
    ClosureRequestForm,
    ConfirmRemoveForm,
    ContactForm,
    CrisisPlanForm,
    SafetyActionForm,
    SafetyPlanCloseForm,
    SafetyPlanForm,
    ThvEndForm,
    ThvPlanForm,
    ThvStartForm,
    TransitionVisitForm,
)
from reunify.road_home.models import (
    AftercarePlan,
    ClosureRequest,
    ContactStatus,
    HouseholdAdult,
    SafetyAction,
    SafetyPlan,
    TrialHomeVisit,
)


def _authorized(
    request: HttpRequest, case: FamilyCase, *, edit: bool, action: str, obj: Any
) -> None:
    allowed = (permissions.can_manage_road_home if edit else permissions.can_view_road_home)(
        request.user, case
    )
    authorize(request, allowed, action=f"road_home.{action}", obj=obj, case_id=case.pk)


def _case(request: HttpRequest, pk: int, *, edit: bool, action: str) -> FamilyCase:
    case = get_object_or_404(
        permissions.cases_visible_to(request.user).select_related("agency", "unit"), pk=pk
    )
    _authorized(request, case, edit=edit, action=action, obj=case)
    return case


def _thv(request: HttpRequest, pk: int, *, edit: bool, action: str) -> TrialHomeVisit:
    thv = selectors.thv_for_page(pk, permissions.visits_visible_to(request.user))
    if thv is None:
        raise Http404
    _authorized(request, thv.episode.case, edit=edit, action=action, obj=thv)
    return thv


def _object(
    request: HttpRequest, queryset: QuerySet[Any], pk: int, *, edit: bool, action: str
) -> Any:
    obj = get_object_or_404(queryset.select_related("case__agency", "case__unit"), pk=pk)
    _authorized(request, obj.case, edit=edit, action=action, obj=obj)
    return obj


def _viewed(request: HttpRequest, case: FamilyCase, obj: Any, summary: str) -> None:
    audit.record(
        actor=request.user,
        action="road_home.viewed",
        kind=AuditEvent.Kind.ACCESS,
        obj=obj,
        case_id=case.pk,
        agency_id=case.agency_id,
        summary=summary,
    )


def _done(request: HttpRequest, form: Any, call: Callable[[], None], success: str) -> bool:
    """Run the service for a valid posted form; put a refusal on the form. True when saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        call()
    except (ValidationError, StaleEditError) as error:
        apply_errors(error, form)
        return False
    messages.success(request, success)
    return True


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    case: FamilyCase,
    heading: str,
    submit: str,
    cancel: str,
    intro: str = "",
    thv: TrialHomeVisit | None = None,
) -> HttpResponse:
    status = 400 if request.method == "POST" and form.errors else 200
    context = {
        "form": form,
        "case": case,
        "thv": thv,
        "heading": heading,
        "submit": submit,
        "cancel": cancel,
        "intro": intro,
    }
    return render(request, "road_home/form.html", context, status=status)


def _form_view(
    request: HttpRequest,
    form: Any,
    call: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    done: str | Callable[[Any], str],
    **page: Any,
) -> HttpResponse:
    """The write pages' one shape: a valid posted form runs the service (`call` gets the cleaned
    data); a refusal goes on the form and the page comes back (400, nothing changed); on success
    the user lands on `done` (a URL, or one made from what the service returned)."""
    result: list[Any] = []
    if _done(request, form, lambda: result.append(call(form.cleaned_data)), success):
        return redirect(done(result[0]) if callable(done) else done)
    return _form_page(request, form, **page)


def _confirm_form(request: HttpRequest) -> ConfirmRemoveForm:
    """Bound on any POST, so that one without the box ticked is refused (400), never taken as
    a first visit to the page."""
    return ConfirmRemoveForm(request.POST if request.method == "POST" else None)


def _thv_url(thv: TrialHomeVisit) -> str:
    return reverse("road_home:thv", args=[thv.pk])


def _plan_url(plan: SafetyPlan) -> str:
    return reverse("road_home:safety-plan", args=[plan.pk])


# ---- the case's road home --------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def case_road_home(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=False, action="view")
    _viewed(request, case, case, f"Viewed the road home of case {case.number}")
    context = {
        "case": case,
        "page": selectors.road_home(case, today=clock.today()),
        "can_manage": permissions.can_manage_road_home(request.user, case),
    }
    return render(request, "road_home/case.html", context)


# ---- trial home visit ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def thv_new(request: HttpRequest, pk: int) -> HttpResponse:
    episode = get_object_or_404(
        RemovalEpisode.objects.select_related("case__agency", "child").filter(
            case__in=permissions.cases_visible_to(request.user)
        ),
        pk=pk,
    )
    case = episode.case
    _authorized(request, case, edit=True, action="thv_plan", obj=episode)
    form = ThvPlanForm(request.POST or None, initial={"planned_start": clock.today()})
    return _form_view(
        request,
        form,
        lambda data: services.thv_plan(actor=request.user, episode=episode, **data),
        success=_("Trial home visit prepared. Add what it needs to start."),
        done=_thv_url,
        case=case,
        heading=_("Prepare a trial home visit for %(child)s") % {"child": episode.child.full_name},
        submit=_("Prepare"),
        cancel=reverse("road_home:case", args=[case.pk]),
        intro=_(
            "The visit starts once the return is recommended (or every condition for return is "
            "met), the court has authorized it where required, every other adult in the home "
            "has cleared a background check, and the safety plan, crisis plan and transition "
            "visits are in place."
        ),
    )


@login_required
@require_http_methods(["GET"])
def thv_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thv = _thv(request, pk, edit=False, action="thv_view")
    case = thv.episode.case
    _viewed(request, case, thv, f"Viewed trial home visit {thv.pk}")
    readiness = selectors.thv_readiness(thv, on=clock.today()) if thv.is_planned else None
    context = {
        "case": case,
        "thv": thv,
        "readiness": readiness,
        "problems": [services.translated(p) for p in readiness.problems] if readiness else [],
        "limit": selectors.thv_limit(thv),
        "can_manage": permissions.can_manage_road_home(request.user, case)
        and case.status == FamilyCase.Status.OPEN,
        "tz": clock.agency_zone(),
    }
    return render(request, "road_home/thv.html", context)


def _thv_page(thv: TrialHomeVisit) -> dict[str, Any]:
    """What every form page of a visit shows: its case, its crumb, the way back to it."""
    return {"case": thv.episode.case, "thv": thv, "done": _thv_url(thv), "cancel": _thv_url(thv)}


@login_required
@require_http_methods(["GET", "POST"])
def thv_adult(request: HttpRequest, pk: int) -> HttpResponse:
    thv = _thv(request, pk, edit=True, action="household_adult")
    return _form_view(
        request,
        AdultForm(request.POST or None),
        lambda data: services.household_adult_add(actor=request.user, thv=thv, **data),
        success=_("Adult added."),
        **_thv_page(thv),
        heading=_("Add another adult in the home"),
        submit=_("Add"),
        intro=_("Every other adult living in the home needs a cleared background check."),
    )


def _adult(request: HttpRequest, pk: int, *, action: str) -> HouseholdAdult:
    adult = get_object_or_404(
        HouseholdAdult.objects.filter(thv__in=permissions.visits_visible_to(request.user)), pk=pk
    )
    thv = _thv(request, adult.thv_id, edit=True, action=action)
    adult.thv = thv
    return adult


@login_required
@require_http_methods(["GET", "POST"])
def thv_adult_edit(request: HttpRequest, pk: int) -> HttpResponse:
    adult = _adult(request, pk, action="household_adult_edit")
    form = AdultForm(
        request.POST or None,
        initial={
            "name": adult.name,
            "relationship": adult.relationship,
            "background_check": adult.background_check,
            "checked_on": adult.checked_on,
        },
    )
    return _form_view(
        request,
        form,
        lambda data: services.household_adult_edit(actor=request.user, adult=adult, **data),
        success=_("Adult updated."),
        **_thv_page(adult.thv),
        heading=_("Correct %(name)s") % {"name": adult.name},
        submit=_("Save"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def thv_adult_remove(request: HttpRequest, pk: int) -> HttpResponse:
    adult = _adult(request, pk, action="household_adult_remove")
    return _form_view(
        request,
        _confirm_form(request),
        lambda data: services.household_adult_remove(actor=request.user, adult=adult),
        success=_("Adult removed."),
        **_thv_page(adult.thv),
        heading=_("Remove %(name)s from the household") % {"name": adult.name},
        submit=_("Remove"),
        intro=_("Only while the visit is being prepared; the record keeps what was entered."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def thv_adult_check(request: HttpRequest, pk: int) -> HttpResponse:
    thv = _thv(request, pk, edit=True, action="household_adult_check")
    adults = list(thv.adults.all())
    form = AdultCheckForm(
        request.POST or None, adults=adults, initial={"checked_on": clock.today()}
    )

    def call(data: dict[str, Any]) -> None:
        adult = next((a for a in adults if a.pk == data["adult"]), None)
        if adult is None:
            raise ValidationError({"adult": _("Choose one of the adults.")})
        services.household_adult_check(
            actor=request.user,
            adult=adult,
            background_check=data["background_check"],
            checked_on=data["checked_on"],
        )

    return _form_view(
        request,
        form,
        call,
        success=_("Background check recorded."),
        **_thv_page(thv),
        heading=_("Record a background check result"),
        submit=_("Record"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def thv_visit(request: HttpRequest, pk: int) -> HttpResponse:
    thv = _thv(request, pk, edit=True, action="transition_visit")
    form = TransitionVisitForm(
        request.POST or None, initial={"start_time": DAY_FROM, "end_time": DAY_UNTIL}
    )

    def call(data: dict[str, Any]) -> Any:
        return services.transition_visit_add(
            actor=request.user,
            thv=thv,
            starts_at=_local(data["on"], data["start_time"]),
            ends_at=_local(data["ends_on"] or data["on"], data["end_time"]),
            kind=data["kind"],
            note=data["note"],
        )

    return _form_view(
        request,
        form,
        call,
        success=_("Transition visit planned."),
        **_thv_page(thv),
        heading=_("Plan a transition visit"),
        submit=_("Plan"),
        intro=_(
            "Family time at home that leads up to the trial home visit. It becomes a session of "
            "the child's family-time plan with the parents: on the family-time page, the week, "
            "the calendars and the reminders."
        ),
    )


DAY_FROM, DAY_UNTIL = dt.time(10, 0), dt.time(16, 0)


def _local(day: dt.date, at: dt.time) -> dt.datetime:
    """The wall-clock time `at` on `day` in the agency's zone."""
    return timezone.make_aware(dt.datetime.combine(day, at), clock.agency_zone())


@login_required
@require_http_methods(["GET", "POST"])
def thv_crisis(request: HttpRequest, pk: int) -> HttpResponse:
    thv = _thv(request, pk, edit=True, action="thv_crisis_plan")
    form = CrisisPlanForm(
        request.POST or None,
        initial={
            "who_to_call": thv.crisis_who_to_call,
            "phone": thv.crisis_phone,
            "what_happens": thv.crisis_what_happens,
            "version": thv.version,
        },
    )

    def call(data: dict[str, Any]) -> Any:
        return services.thv_crisis_plan_set(
            actor=request.user,
            thv=thv,
            expected_version=data["version"],
            who_to_call=data["who_to_call"],
            phone=data["phone"],
            what_happens=data["what_happens"],
        )

    return _form_view(
        request,
        form,
        call,
        success=_("Crisis plan saved."),
        **_thv_page(thv),
        heading=_("Crisis plan"),
        submit=_("Save"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def thv_start(request: HttpRequest, pk: int) -> HttpResponse:
    thv = _thv(request, pk, edit=True, action="thv_start")
    form = ThvStartForm(
        request.POST or None, initial={"started_on": clock.today(), "version": thv.version}
    )

    def call(data: dict[str, Any]) -> Any:
        return services.thv_start(
            actor=request.user,
            thv=thv,
            expected_version=data["version"],
            started_on=data["started_on"],
        )

    return _form_view(
        request,
        form,
        call,
        success=_("The trial home visit has begun."),
        **_thv_page(thv),
        heading=_("Start the trial home visit"),
        submit=_("Start"),
        intro=_(
            "The current placement ends and a trial home visit placement begins in the same "
            "removal episode; its time limit appears on What's due."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def thv_end(request: HttpRequest, pk: int) -> HttpResponse:
    thv = _thv(request, pk, edit=True, action="thv_end")
    providers = ResourceProvider.objects.filter(
        agency_id=thv.episode.case.agency_id, is_active=True
    ).select_related("address")
    form = ThvEndForm(
        request.POST or None,
        providers=providers,
        initial={"ended_on": clock.today(), "version": thv.version, "close_safety_plan": True},
    )

    def call(data: dict[str, Any]) -> Any:
        disrupted = data["outcome"] == services.DISRUPTED
        return services.thv_end(
            actor=request.user,
            thv=thv,
            expected_version=data["version"],
            outcome=data["outcome"],
            ended_on=data["ended_on"],
            reason=data["reason"],
            close_safety_plan=data["close_safety_plan"],
            placement=form.placement_input(data["ended_on"]) if disrupted else None,
        )

    return _form_view(
        request,
        form,
        call,
        success=_("The trial home visit has ended."),
        **_thv_page(thv),
        heading=_("End the trial home visit"),
        submit=_("End the visit"),
        intro=_(
            "Converted: the child is discharged from care to reunification. Disrupted: the "
            "child is placed again in the same removal episode (not a new removal); fill in "
            "the new placement."
        ),
    )


# ---- safety plans ----------------------------------------------------------------------------


def _children(case: FamilyCase) -> list[tuple[int, str]]:
    return [
        (p.person_id, p.person.full_name)
        for p in CaseParticipant.objects.filter(case=case, role=ParticipantRole.CHILD)
        .select_related("person")
        .order_by("person__date_of_birth", "person_id")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def safety_plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=True, action="safety_plan_open")
    form = SafetyPlanForm(request.POST or None, children=_children(case))

    def call(data: dict[str, Any]) -> SafetyPlan:
        child = (
            CaseParticipant.objects.get(case=case, person_id=data["child"]).person
            if data["child"]
            else None
        )
        return services.safety_plan_create(
            actor=request.user, case=case, purpose=data["purpose"], child=child
        )

    return _form_view(
        request,
        form,
        call,
        success=_("Safety plan opened. Add its actions."),
        done=_plan_url,
        case=case,
        heading=_("Open a safety plan"),
        submit=_("Open"),
        cancel=reverse("road_home:case", args=[case.pk]),
    )


@login_required
@require_http_methods(["GET"])
def safety_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _object(
        request,
        permissions.safety_plans_visible_to(request.user),
        pk,
        edit=False,
        action="safety_plan_view",
    )
    _viewed(request, plan.case, plan, f"Viewed safety plan {plan.pk}")
    thv = TrialHomeVisit.objects.filter(safety_plan=plan).first()
    context = {
        "case": plan.case,
        "plan": plan,
        "thv": thv,
        "actions": list(plan.actions.all()),
        "can_manage": permissions.can_manage_road_home(request.user, plan.case) and plan.is_open,
        "can_remove": thv is None or not thv.is_active,
    }
    return render(request, "road_home/safety_plan.html", context)


def _plan_page(plan: SafetyPlan) -> dict[str, Any]:
    return {"case": plan.case, "done": _plan_url(plan), "cancel": _plan_url(plan)}


@login_required
@require_http_methods(["GET", "POST"])
def safety_action(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _object(
        request,
        permissions.safety_plans_visible_to(request.user),
        pk,
        edit=True,
        action="safety_action",
    )
    return _form_view(
        request,
        SafetyActionForm(request.POST or None),
        lambda data: services.safety_action_add(actor=request.user, plan=plan, **data),
        success=_("Safety action added."),
        **_plan_page(plan),
        heading=_("Add a safety action"),
        submit=_("Add"),
        intro=_("What keeps the child safe, which adult is responsible, and how it is checked."),
    )


def _safety_action(request: HttpRequest, pk: int, *, action: str) -> SafetyAction:
    step = get_object_or_404(
        SafetyAction.objects.filter(
            plan__in=permissions.safety_plans_visible_to(request.user)
        ).select_related("plan__case__agency", "plan__case__unit"),
        pk=pk,
    )
    _authorized(request, step.plan.case, edit=True, action=action, obj=step)
    return step


@login_required
@require_http_methods(["GET", "POST"])
def safety_action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    step = _safety_action(request, pk, action="safety_action_edit")
    form = SafetyActionForm(
        request.POST or None,
        initial={
            "action": step.action,
            "responsible_adult": step.responsible_adult,
            "how_checked": step.how_checked,
        },
    )

    def call(data: dict[str, Any]) -> Any:
        return services.safety_action_edit(
            actor=request.user,
            action=step,
            text=data["action"],
            responsible_adult=data["responsible_adult"],
            how_checked=data["how_checked"],
        )

    return _form_view(
        request,
        form,
        call,
        success=_("Safety action updated."),
        **_plan_page(step.plan),
        heading=_("Change a safety action"),
        submit=_("Save"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def safety_action_remove(request: HttpRequest, pk: int) -> HttpResponse:
    step = _safety_action(request, pk, action="safety_action_remove")
    return _form_view(
        request,
        _confirm_form(request),
        lambda data: services.safety_action_remove(actor=request.user, action=step),
        success=_("Safety action removed."),
        **_plan_page(step.plan),
        heading=_("Remove the safety action “%(action)s”") % {"action": step.action},
        submit=_("Remove"),
        intro=_(
            "An action of a trial home visit under way cannot be removed, only changed; the "
            "record keeps what was entered."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def safety_plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _object(
        request,
        permissions.safety_plans_visible_to(request.user),
        pk,
        edit=True,
        action="safety_plan_close",
    )
    form = SafetyPlanCloseForm(
        request.POST or None, initial={"closed_on": clock.today(), "version": plan.version}
    )

    def call(data: dict[str, Any]) -> Any:
        return services.safety_plan_close(
            actor=request.user,
            plan=plan,
            expected_version=data["version"],
            reason=data["reason"],
            closed_on=data["closed_on"],
        )

    return _form_view(
        request,
        form,
        call,
        success=_("Safety plan closed."),
        **_plan_page(plan),
        heading=_("Close the safety plan"),
        submit=_("Close"),
    )


# ---- aftercare -------------------------------------------------------------------------------


def _aftercare_url(plan: AftercarePlan) -> str:
    return reverse("road_home:aftercare", args=[plan.pk])


@login_required
@require_http_methods(["GET", "POST"])
def aftercare_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=True, action="aftercare_plan")
    profile = selectors.profile_for(case)
    return _form_view(
        request,
        AftercarePlanForm(request.POST or None),
        lambda data: services.aftercare_plan_create(actor=request.user, case=case, **data),
        success=_("Aftercare plan written, with its follow-up contacts."),
        done=_aftercare_url,
        case=case,
        heading=_("Write the aftercare plan"),
        submit=_("Write the plan"),
        cancel=reverse("road_home:case", args=[case.pk]),
        intro=_(
            "Follow-up contacts are planned from the return home: weekly for the first "
            "%(weeks)s weeks, then monthly, for %(months)s months."
        )
        % {"weeks": profile.aftercare_weekly_contacts, "months": profile.aftercare_months},
    )


@login_required
@require_http_methods(["GET"])
def aftercare_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _object(
        request,
        permissions.aftercare_plans_visible_to(request.user),
        pk,
        edit=False,
        action="aftercare_view",
    )
    _viewed(request, plan.case, plan, f"Viewed aftercare plan {plan.pk}")
    context = {
        "case": plan.case,
        "plan": plan,
        "page": selectors.aftercare_page(plan, today=clock.today()),
        "can_manage": permissions.can_manage_road_home(request.user, plan.case)
        and plan.case.status == FamilyCase.Status.OPEN,
    }
    return render(request, "road_home/aftercare.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def aftercare_contact(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _object(
        request,
        permissions.aftercare_plans_visible_to(request.user),
        pk,
        edit=True,
        action="aftercare_contact",
    )
    planned = list(plan.contacts.filter(status=ContactStatus.PLANNED))
    choices = [(c.pk, c.due_on.isoformat()) for c in planned]
    chosen = request.GET.get("contact", "")
    form = ContactForm(
        request.POST or None,
        contacts=choices,
        initial={
            "contact": int(chosen) if chosen.isdigit() else (planned[0].pk if planned else None),
            "held_on": clock.today(),
            "status": ContactStatus.HELD,
        },
    )

    def call(data: dict[str, Any]) -> Any:
        contact = next((c for c in planned if c.pk == data["contact"]), None)
        if contact is None:
            raise ValidationError({"contact": _("Choose one of the planned contacts.")})
        return services.aftercare_contact_record(
            actor=request.user,
            contact=contact,
            status=data["status"],
            held_on=data["held_on"] if data["status"] == ContactStatus.HELD else None,
            how=data["how"],
            who_seen=data["who_seen"],
            note=data["note"],
        )

    return _form_view(
        request,
        form,
        call,
        success=_("Follow-up contact recorded."),
        done=_aftercare_url(plan),
        case=plan.case,
        heading=_("Record a follow-up contact"),
        submit=_("Record"),
        cancel=_aftercare_url(plan),
    )


# ---- closure ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def closure(request: HttpRequest, pk: int) -> HttpResponse:
    """The closure checklist computed from the record, the requests and their decisions, and
    (for whoever edits the case) the request to close."""
    case = _case(request, pk, edit=request.method == "POST", action="closure")
    can_manage = permissions.can_manage_road_home(request.user, case)
    form = ClosureRequestForm(request.POST or None, initial={"version": case.version})

    def call() -> None:
        services.closure_request(
            actor=request.user,
            case=case,
            expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        )

    if _done(request, form, call, _("Closure requested; a supervisor of the unit decides.")):
        return redirect("road_home:closure", pk=case.pk)
    if request.method == "GET":
        _viewed(request, case, case, f"Viewed the closure checklist of case {case.number}")
    items = selectors.closure_checklist(case)
    requests = list(
        ClosureRequest.objects.filter(case=case).select_related("requested_by", "decided_by")
    )
    context = {
        "case": case,
        "items": [(item, services.translated(item.message)) for item in items],
        "ready": all(item.ok for item in items),
        "requests": requests,
        "waiting": next((r for r in requests if r.is_waiting), None),
        "form": form,
        "can_request": can_manage and case.status == FamilyCase.Status.OPEN,
        "can_decide": permissions.can_decide_closure(request.user, case),
    }
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "road_home/closure.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def closure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    closure_request = get_object_or_404(
        permissions.closure_requests_visible_to(request.user).select_related(
            "case__agency", "case__unit", "requested_by"
        ),
        pk=pk,
    )
    case = closure_request.case
    authorize(
        request,
        permissions.can_decide_closure(request.user, case),
        action="road_home.closure_decide",
        obj=closure_request,
        case_id=case.pk,
    )
    form = ClosureDecisionForm(request.POST or None)

    def call() -> None:
        data = form.cleaned_data
        if data["decision"] == "approve":
            services.closure_approve(actor=request.user, request=closure_request)
        else:
            services.closure_return(
                actor=request.user, request=closure_request, reason=data["reason"]
            )

    if _done(request, form, call, _("Decision recorded.")):
        return redirect("road_home:closure", pk=case.pk)
    items = selectors.closure_checklist(case)
    context = {
        "case": case,
        "closure_request": closure_request,
        "items": [(item, services.translated(item.message)) for item in items],
        "form": form,
    }
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "road_home/closure_decide.html", context, status=status)
