"""Case-plan pages: parse, authorise, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from reunify.case_plans import document as doc
from reunify.case_plans import pdf, permissions, selectors, services
from reunify.case_plans.forms import (
    PERMANENCY_GOALS,
    AttendanceForm,
    CasePlanRecordForm,
    ConditionForm,
    EffortsForm,
    FinalizeForm,
    GoalForm,
    MeetingForm,
    NeedForm,
    ProgressForm,
    RemoveForm,
    SignForm,
    StartForm,
    TaskForm,
    YouthForm,
)
from reunify.case_plans.models import FamilyPlan, PlanVersion, VersionStatus
from reunify.cases.models import FamilyCase
from reunify.cases.views import editable_episode
from reunify.core import audit, clock
from reunify.core.concurrency import StaleEditError
from reunify.core.forms_errors import apply_errors
from reunify.core.models import AuditEvent
from reunify.core.views import authorize


def _case(request: HttpRequest, pk: int, *, edit: bool, action: str) -> FamilyCase:
    case = get_object_or_404(permissions.cases_visible_to(request.user), pk=pk)
    allowed = (permissions.can_edit_plan if edit else permissions.can_view_plan)(request.user, case)
    authorize(request, allowed, action=action, obj=case, case_id=case.pk)
    return case


def _plan(case: FamilyCase) -> FamilyPlan:
    plan = FamilyPlan.objects.filter(case=case).first()
    if plan is None:
        raise Http404("No case plan yet.")
    plan.case = case
    return plan


def _working(plan: FamilyPlan) -> PlanVersion:
    """The version edits start from: the draft, else the latest final version."""
    return plan.versions.exclude(status=VersionStatus.SUPERSEDED).order_by("-number").first()  # type: ignore[return-value]


def _to_plan(case: FamilyCase) -> HttpResponse:
    return redirect("case_plans:plan", pk=case.pk)


def _form_page(
    request: HttpRequest,
    case: FamilyCase,
    form: forms.Form,
    *,
    heading: str,
    submit: str,
    intro: str = "",
    problems: list[str] | None = None,
) -> HttpResponse:
    status = 400 if request.method == "POST" and form.errors else 200
    context = {
        "case": case,
        "form": form,
        "heading": heading,
        "submit": submit,
        "intro": intro,
        "problems": problems or [],
    }
    return render(request, "case_plans/form.html", context, status=status)


def _save(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[], Any],
    success: str,
) -> bool:
    """Run the service for a valid form; put its refusal on the form. True when saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        call()
    except (ValidationError, StaleEditError) as error:
        apply_errors(error, form)
        return False
    messages.success(request, success)
    return True


# ---- the completion record (the clocks' event) ---------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, pk: int) -> HttpResponse:
    episode = editable_episode(request, pk)
    form = CasePlanRecordForm(request.POST or None, initial={"completed_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_plan_record(actor=request.user, episode=episode, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Case plan recorded."))
            return redirect("cases:case-detail", pk=episode.case_id)
    context = {
        "form": form,
        "episode": episode,
        "case": episode.case,
        "plans": episode.case_plans.all(),
    }
    return render(
        request, "case_plans/record.html", context, status=400 if request.method == "POST" else 200
    )


# ---- reading -------------------------------------------------------------------------------


def _number(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@login_required
@require_http_methods(["GET"])
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=False, action="case_plan.view")
    today = clock.today()
    page = selectors.plan_page(case=case, today=today, number=_number(request, "v"))
    can_edit = permissions.can_edit_plan(request.user, case)
    audit.record(
        actor=request.user,
        action="case_plan.viewed",
        kind=AuditEvent.Kind.ACCESS,
        obj=page.plan or case,
        case_id=case.pk,
        summary=f"Viewed the case plan of {case}",
    )
    context = {
        "page": page,
        "case": case,
        "can_edit": can_edit,
        "editable": can_edit and page.is_current,
    }
    return render(request, "case_plans/plan.html", context)


@login_required
@require_http_methods(["GET"])
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=False, action="case_plan.versions")
    family_plan = _plan(case)
    rows = family_plan.versions.select_related("created_by", "finalized_by").prefetch_related(
        "signatures__signer", "meetings"
    )
    return render(request, "case_plans/versions.html", {"case": case, "versions": rows})


@login_required
@require_http_methods(["GET"])
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=False, action="case_plan.compare")
    family_plan = _plan(case)
    comparison = selectors.compare(
        plan=family_plan, older=_number(request, "from"), newer=_number(request, "to")
    )
    context = {"case": case, "comparison": comparison, "goal_names": PERMANENCY_GOALS}
    return render(request, "case_plans/compare.html", context)


@login_required
@require_http_methods(["GET"])
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=False, action="case_plan.pdf")
    family_plan = _plan(case)
    language = request.GET.get("lang", "en")
    court = request.GET.get("version") == "court"
    audit.record(
        actor=request.user,
        action="case_plan.printed",
        kind=AuditEvent.Kind.ACCESS,
        obj=family_plan,
        case_id=case.pk,
        summary=f"Printed the case plan of {case} ({language}{', court' if court else ''})",
    )
    content = pdf.plan_pdf(
        case=case,
        today=clock.today(),
        language=language,
        court=court,
        number=_number(request, "v"),
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(content, content_type="application/pdf")
    suffix = "-court" if court else ""
    response["Content-Disposition"] = (
        f'inline; filename="case-plan-{case.number}-{language}{suffix}.pdf"'
    )
    return response


# ---- writing -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=True, action="case_plan.start")
    if request.method == "GET" and FamilyPlan.objects.filter(case=case).exists():
        return _to_plan(case)
    form = StartForm(request.POST or None, initial={"confirm": "start"})
    if _save(
        request,
        form,
        lambda: services.plan_start(actor=request.user, case=case),
        _("Case plan started. Add what will be different, the tasks and the needs."),
    ):
        return _to_plan(case)
    return _form_page(
        request,
        case,
        form,
        heading=_("Start the case plan"),
        intro=_(
            "The plan is written with the family in a planning meeting. It starts as a draft "
            "with a section for each child in care and their permanency goals."
        ),
        submit=_("Start the plan"),
    )


def _edit_form(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    *,
    action: str,
    initial_from: Callable[[dict[str, Any]], dict[str, Any]],
    call: Callable[[FamilyPlan, dict[str, Any]], Any],
    heading: str,
    submit: str,
    success: str,
    intro: str = "",
    **form_kwargs: Any,
) -> HttpResponse:
    """A form editing the plan's draft (started from the latest final version if need be)."""
    case = _case(request, pk, edit=True, action=action)
    family_plan = _plan(case)
    working = _working(family_plan)
    initial = {"version": family_plan.version, **initial_from(working.document)}
    form = form_class(request.POST or None, initial=initial, **form_kwargs)
    if _save(
        request,
        form,
        lambda: call(family_plan, dict(form.cleaned_data)),
        success,
    ):
        return _to_plan(case)
    return _form_page(request, case, form, heading=heading, submit=submit, intro=intro)


def _item(document: dict[str, Any], collection: str, key: str) -> dict[str, Any]:
    if not key:
        return {}
    found = doc.find(document, collection, key)
    if found is None:
        raise Http404("No such item in the plan.")
    return found


@login_required
@require_http_methods(["GET", "POST"])
def goal(request: HttpRequest, pk: int) -> HttpResponse:
    key = request.GET.get("key", "")

    def initial(document: dict[str, Any]) -> dict[str, Any]:
        item = _item(document, "goals", key)
        return {
            **item,
            "key": key,
            "services": "\n".join(s["name"] for s in item.get("services", [])),
        }

    def call(plan: FamilyPlan, data: dict[str, Any]) -> Any:
        old = doc.find(_working(plan).document, "goals", data["key"]) or {}
        linked = {s["name"]: s for s in old.get("services", [])}  # keep directory links
        return services.goal_save(
            actor=request.user,
            plan=plan,
            expected_version=data["version"],
            key=data["key"],
            change=data["change"],
            safety_concern=data["safety_concern"],
            services=[linked.get(name, {"name": name}) for name in data["services"]],
        )

    return _edit_form(
        request,
        pk,
        GoalForm,
        action="case_plan.goal",
        initial_from=initial,
        call=call,
        heading=_("Change a goal") if key else _("Add a goal: what will be different"),
        submit=_("Save goal"),
        success=_("Goal saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def condition(request: HttpRequest, pk: int) -> HttpResponse:
    key = request.GET.get("key", "")
    return _edit_form(
        request,
        pk,
        ConditionForm,
        action="case_plan.condition",
        initial_from=lambda d: {**_item(d, "conditions_for_return", key), "key": key},
        call=lambda plan, data: services.condition_save(
            actor=request.user,
            plan=plan,
            expected_version=data["version"],
            key=data["key"],
            text=data["text"],
            status=data["status"],
        ),
        heading=_("Condition for return"),
        intro=_("What must be true for the children to come home safely."),
        submit=_("Save condition"),
        success=_("Condition for return saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def task(request: HttpRequest, pk: int) -> HttpResponse:
    key = request.GET.get("key", "")
    case = _case(request, pk, edit=True, action="case_plan.task")
    goals = _working(_plan(case)).document.get("goals", [])
    return _edit_form(
        request,
        pk,
        TaskForm,
        action="case_plan.task",
        initial_from=lambda d: {**_item(d, "tasks", key), "key": key},
        call=lambda plan, data: services.task_save(
            actor=request.user,
            plan=plan,
            expected_version=data["version"],
            key=data["key"],
            text=data["text"],
            owner=data["owner"],
            owner_name=data["owner_name"],
            due_on=data["due_on"],
            status=data["status"],
            goal_key=data["goal_key"],
        ),
        heading=_("Task: who does what by when"),
        submit=_("Save task"),
        success=_("Task saved."),
        goals=goals,
    )


def _children(plan: FamilyPlan, *, youth_only: bool = False) -> list[Any]:
    page = selectors.plan_page(case=plan.case, today=clock.today())
    return [c.person for c in page.children if c.is_youth or not youth_only]


def _child_param(request: HttpRequest) -> int | None:
    return _number(request, "child")


@login_required
@require_http_methods(["GET", "POST"])
def need(request: HttpRequest, pk: int) -> HttpResponse:
    key = request.GET.get("key", "")
    child_id = _child_param(request)
    case = _case(request, pk, edit=True, action="case_plan.need")
    children = _children(_plan(case))

    def initial(document: dict[str, Any]) -> dict[str, Any]:
        if not key:
            return {"child": child_id}
        section = doc.child_of(document, child_id or 0) or {}
        item = next((n for n in section.get("needs", []) if n.get("key") == key), None)
        if item is None:
            raise Http404("No such need in the plan.")
        return {**item, "child": child_id}

    return _edit_form(
        request,
        pk,
        NeedForm,
        action="case_plan.need",
        initial_from=initial,
        call=lambda plan, data: services.need_save(
            actor=request.user,
            plan=plan,
            expected_version=data["version"],
            person_id=data["child"],
            key=data["key"],
            area=data["area"],
            need=data["need"],
            who_meets_it=data["who_meets_it"],
        ),
        heading=_("A child's need: health, education, well-being"),
        submit=_("Save need"),
        success=_("Need saved."),
        children=children,
    )


@login_required
@require_http_methods(["GET", "POST"])
def youth(request: HttpRequest, pk: int) -> HttpResponse:
    child_id = _child_param(request)
    case = _case(request, pk, edit=True, action="case_plan.youth")
    children = _children(_plan(case), youth_only=True)

    def initial(document: dict[str, Any]) -> dict[str, Any]:
        part = (doc.child_of(document, child_id or 0) or {}).get("youth") or {}
        team = [*part.get("team_members", []), "", ""]
        return {
            "child": child_id,
            "own_words": part.get("own_words", ""),
            "team_member_1": team[0],
            "team_member_2": team[1],
        }

    return _edit_form(
        request,
        pk,
        YouthForm,
        action="case_plan.youth",
        initial_from=initial,
        call=lambda plan, data: services.youth_save(
            actor=request.user,
            plan=plan,
            expected_version=data["version"],
            person_id=data["child"],
            own_words=data["own_words"],
            team_members=[data["team_member_1"], data["team_member_2"]],
        ),
        heading=_("The youth's own part"),
        intro=_(
            "A youth 14 or older helps write their plan and may choose up to two members of "
            "their planning team."
        ),
        submit=_("Save"),
        success=_("The youth's part saved."),
        children=children,
    )


@login_required
@require_http_methods(["GET", "POST"])
def efforts(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_form(
        request,
        pk,
        EffortsForm,
        action="case_plan.efforts",
        initial_from=lambda d: {"agency_efforts": d.get("agency_efforts", "")},
        call=lambda plan, data: services.efforts_save(
            actor=request.user,
            plan=plan,
            expected_version=data["version"],
            agency_efforts=data["agency_efforts"],
        ),
        heading=_("The agency's efforts"),
        submit=_("Save"),
        success=_("The agency's efforts saved."),
    )


REMOVE_LABELS = {
    "goal": gettext_lazy("Remove this goal"),
    "task": gettext_lazy("Remove this task"),
    "condition": gettext_lazy("Remove this condition for return"),
    "need": gettext_lazy("Remove this need"),
}


@login_required
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    what = request.GET.get("what", "")
    key = request.GET.get("key", "")
    return _edit_form(
        request,
        pk,
        RemoveForm,
        action="case_plan.remove",
        initial_from=lambda d: {"what": what, "key": key, "child": _child_param(request)},
        call=lambda plan, data: services.item_remove(
            actor=request.user,
            plan=plan,
            expected_version=data["version"],
            what=data["what"],
            key=data["key"],
            person_id=data["child"],
        ),
        heading=str(REMOVE_LABELS.get(what, _("Remove from the plan"))),
        intro=_("It is taken out of the draft; earlier versions keep it."),
        submit=_("Remove"),
        success=_("Removed from the draft."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=True, action="case_plan.meeting")
    family_plan = _plan(case)
    form = MeetingForm(
        request.POST or None,
        initial={"version": family_plan.version, "held_on": clock.today()},
        parents=services.case_parents(case),
    )

    def call() -> Any:
        data = form.cleaned_data
        return services.meeting_record(
            actor=request.user,
            plan=family_plan,
            expected_version=data["version"],
            held_on=data["held_on"],
            parents=[
                services.ParentAttendance(person, present, reason)
                for person, present, reason in form.attendance()
            ],
            youth_present=data["youth_present"],
            resource_family_present=data["resource_family_present"],
            parent_partner_present=data["parent_partner_present"],
            others=data["others"],
            strengths=data["strengths"],
            needs=data["needs"],
        )

    if _save(request, form, call, _("Planning meeting recorded.")):
        return _to_plan(case)
    return _form_page(
        request,
        case,
        form,
        heading=_("Planning meeting"),
        intro=_(
            "Who took part in writing this version of the plan. If a parent did not take part, "
            "say why. Write the parents' strengths and needs in their own words."
        ),
        submit=_("Record meeting"),
    )


def _finalize_problems(family_plan: FamilyPlan) -> list[str]:
    draft = family_plan.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        return [_(services.NOTHING_TO_FINALIZE)]
    problems = [] if draft.meetings.exists() else [_(services.MEETING_NEEDED)]
    missing = doc.missing_for_final(draft.document)
    return problems + [_(m) for m in dict.fromkeys(p.message for p in missing)]


@login_required
@require_http_methods(["GET", "POST"])
def finalize(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=True, action="case_plan.finalize")
    family_plan = _plan(case)
    form = FinalizeForm(request.POST or None, initial={"version": family_plan.version})
    if _save(
        request,
        form,
        lambda: services.version_finalize(
            actor=request.user, plan=family_plan, expected_version=form.cleaned_data["version"]
        ),
        _("This version of the plan is final. The case plan deadline is met."),
    ):
        return _to_plan(case)
    return _form_page(
        request,
        case,
        form,
        heading=_("Make this version final"),
        intro=_(
            "A final version does not change. Any later change starts a new version, and the "
            "earlier one is kept."
        ),
        problems=_finalize_problems(family_plan),
        submit=_("Make final"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=True, action="case_plan.sign")
    family_plan = _plan(case)
    people = services.signers(case, clock.today())
    form = SignForm(request.POST or None, initial={"version": family_plan.version}, signers=people)

    def call() -> Any:
        data = form.cleaned_data
        signer = next(p for p in people if p.pk == data["signer"])
        return services.plan_sign(
            actor=request.user,
            plan=family_plan,
            expected_version=data["version"],
            signer=signer,
            typed_name=data["typed_name"],
        )

    if _save(request, form, call, _("Signed. This version of the plan is final.")):
        return _to_plan(case)
    return _form_page(
        request,
        case,
        form,
        heading=_("Sign the plan"),
        intro=_(
            "The parent or youth reads the plan and types their own name. A draft becomes the "
            "final version when it is signed; any later change starts a new version."
        ),
        submit=_("Sign"),
    )


def _goals(case: FamilyCase) -> list[dict[str, Any]]:
    return _working(_plan(case)).document.get("goals", [])


@login_required
@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=True, action="case_plan.progress")
    family_plan = _plan(case)
    form = ProgressForm(
        request.POST or None,
        initial={"goal_key": request.GET.get("goal", ""), "recorded_on": clock.today()},
        goals=_goals(case),
    )
    if _save(
        request,
        form,
        lambda: services.progress_record(actor=request.user, plan=family_plan, **form.cleaned_data),
        _("Progress recorded."),
    ):
        return _to_plan(case)
    return _form_page(
        request,
        case,
        form,
        heading=_("Progress on a goal"),
        intro=_(
            "Rate the change in behaviour, with what shows it. Going to services is recorded "
            "separately: attendance alone never marks a goal met."
        ),
        submit=_("Record progress"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=True, action="case_plan.attendance")
    family_plan = _plan(case)
    form = AttendanceForm(
        request.POST or None,
        initial={"goal_key": request.GET.get("goal", ""), "period_end": clock.today()},
        goals=_goals(case),
    )
    if _save(
        request,
        form,
        lambda: services.attendance_record(
            actor=request.user, plan=family_plan, **form.cleaned_data
        ),
        _("Attendance recorded."),
    ):
        return _to_plan(case)
    return _form_page(
        request,
        case,
        form,
        heading=_("Attendance at a service"),
        intro=_("Sessions attended of those scheduled. This is compliance, not behaviour change."),
        submit=_("Record attendance"),
    )
