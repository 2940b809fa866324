"""Case pages: parse, authorise, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.accounts import permissions as account_permissions
from reunify.cases import permissions, selectors, services
from reunify.cases import transition as transition_summary
from reunify.cases.forms import (
    CaseOpenForm,
    ChildFormSet,
    ConcurrentReviewForm,
    DischargeForm,
    GoalForm,
    HandoverAcknowledgeForm,
    IntakeReportForm,
    OtherFormSet,
    ParentFormSet,
    PlacementChangeForm,
    ReassignForm,
    ReentryReviewForm,
    RelativeNoticeForm,
    RemovalForm,
)
from reunify.cases.models import (
    FamilyCase,
    IntakeReport,
    ParticipantRole,
    ReentryReview,
    RemovalEpisode,
    ResourceProvider,
    TransitionSummary,
)
from reunify.core import clock
from reunify.core.concurrency import StaleEditError
from reunify.core.forms_errors import apply_errors
from reunify.core.views import authorize, partial


def _providers(user):
    return ResourceProvider.objects.filter(agency_id=user.agency_id, is_active=True).select_related(
        "address"
    )


@login_required
@require_http_methods(["GET"])
def caseload(request: HttpRequest) -> HttpResponse:
    if request.user.is_agency_admin:
        return redirect("accounts:staff-list")
    search = request.GET.get("q", "")[:100]
    sort = request.GET.get("sort", "name")
    page = selectors.caseload_page(
        cases=permissions.cases_visible_to(request.user),
        search=search,
        sort=sort,
        page=request.GET.get("page", 1),
        today=clock.today(),
    )
    context = {"page": page, "search": search, "sort": sort, "sorts": selectors.SORTS}
    return render(request, partial(request, "cases/caseload.html", "results"), context)


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    authorize(request, permissions.can_open_case(request.user), action="case.open")
    providers = _providers(request.user)
    data = request.POST if request.method == "POST" else None
    form = CaseOpenForm(data, initial={"opened_on": clock.today()})
    children = ChildFormSet(data, prefix="children", form_kwargs={"providers": providers})
    parents = ParentFormSet(data, prefix="parents")
    others = OtherFormSet(data, prefix="others")
    if request.method == "POST" and all(f.is_valid() for f in (form, children, parents, others)):
        try:
            case = services.case_open(
                actor=request.user,
                name=form.cleaned_data["name"],
                opened_on=form.cleaned_data["opened_on"],
                children=[f.child_input() for f in children.forms if f.cleaned_data],
                parents=[f.parent_input() for f in parents.forms if f.cleaned_data],
                others=[f.other_input() for f in others.forms if f.cleaned_data],
            )
        except ValidationError as error:
            apply_errors(
                error, form, formsets={"children": children, "parents": parents, "others": others}
            )
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect("cases:case-detail", pk=case.pk)
    context = {"form": form, "children": children, "parents": parents, "others": others}
    return render(
        request, "cases/case_open.html", context, status=400 if request.method == "POST" else 200
    )


def _visible_case(request: HttpRequest, pk: int) -> FamilyCase:
    return get_object_or_404(
        permissions.cases_visible_to(request.user).select_related("worker", "unit"), pk=pk
    )


@login_required
@require_http_methods(["GET"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    services.case_viewed(actor=request.user, case=case)
    detail = selectors.case_detail(case=case, today=clock.today())
    context = {
        "detail": detail,
        "case": case,
        "can_edit": permissions.can_edit_case(request.user, case),
        "can_reassign": permissions.can_reassign_case(request.user, case),
        "pending_handover": TransitionSummary.objects.filter(
            case=case, assignment__worker=request.user, acknowledged_at__isnull=True
        ).first(),
    }
    return render(request, "cases/case_detail.html", context)


def editable_episode(request: HttpRequest, pk: int) -> RemovalEpisode:
    episode = get_object_or_404(
        RemovalEpisode.objects.select_related("case", "child").filter(
            case__in=permissions.cases_visible_to(request.user)
        ),
        pk=pk,
    )
    authorize(
        request,
        permissions.can_edit_case(request.user, episode.case),
        action="episode.edit",
        obj=episode,
        case_id=episode.case_id,
    )
    return episode


def _form_page(request, template, context, form, status_ok=200):
    status = 400 if request.method == "POST" and form.errors else status_ok
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def placement_change(request: HttpRequest, pk: int) -> HttpResponse:
    episode = editable_episode(request, pk)
    current = episode.placements.filter(ended_on__isnull=True).first()
    initial = {"started_on": clock.today(), "version": episode.version}
    form = PlacementChangeForm(
        request.POST or None, initial=initial, providers=_providers(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_change(
                actor=request.user,
                episode=episode,
                expected_version=form.cleaned_data["version"],
                data=form.placement_input(form.cleaned_data["started_on"]),
                end_reason=form.cleaned_data["end_reason"],
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Placement change recorded."))
            return redirect("cases:case-detail", pk=episode.case_id)
    context = {"form": form, "episode": episode, "case": episode.case, "current": current}
    return _form_page(request, "cases/placement_change.html", context, form)


@login_required
@require_http_methods(["GET", "POST"])
def episode_discharge(request: HttpRequest, pk: int) -> HttpResponse:
    episode = editable_episode(request, pk)
    form = DischargeForm(
        request.POST or None, initial={"discharged_on": clock.today(), "version": episode.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_discharge(
                actor=request.user,
                episode=episode,
                expected_version=form.cleaned_data["version"],
                discharged_on=form.cleaned_data["discharged_on"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Discharge recorded."))
            return redirect("cases:case-detail", pk=episode.case_id)
    return _form_page(
        request,
        "cases/episode_discharge.html",
        {"form": form, "episode": episode, "case": episode.case},
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_set(request: HttpRequest, pk: int) -> HttpResponse:
    episode = editable_episode(request, pk)
    initial = {
        "on": clock.today(),
        "slot": request.GET.get("slot", "primary"),
        "version": episode.version,
    }
    form = GoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_set(
                actor=request.user,
                episode=episode,
                expected_version=form.cleaned_data["version"],
                kind=form.cleaned_data["kind"],
                is_concurrent=form.cleaned_data["slot"] == "concurrent",
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Permanency goal updated."))
            return redirect("cases:case-detail", pk=episode.case_id)
    goals = episode.goals.filter(ended_on__isnull=True)
    return _form_page(
        request,
        "cases/goal_set.html",
        {"form": form, "episode": episode, "case": episode.case, "goals": goals},
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def removal_record(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    authorize(
        request,
        permissions.can_edit_case(request.user, case),
        action="removal.record",
        obj=case,
        case_id=case.pk,
    )
    participant = get_object_or_404(
        case.participants.select_related("person"), person_id=person_pk, role=ParticipantRole.CHILD
    )
    form = RemovalForm(
        request.POST or None,
        initial={"removed_on": clock.today()},
        providers=_providers(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.removal_record(
                actor=request.user, case=case, child=participant.person, data=form.removal_input()
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Removal recorded."))
            return redirect("cases:case-detail", pk=case.pk)
    return _form_page(
        request,
        "cases/removal_record.html",
        {"form": form, "case": case, "child": participant.person},
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    authorize(
        request,
        permissions.can_reassign_case(request.user, case),
        action="case.reassign",
        obj=case,
        case_id=case.pk,
    )
    workers = selectors.workers_with_open_cases(
        account_permissions.assignable_workers(request.user).exclude(pk=case.worker_id)
    )
    form = ReassignForm(request.POST or None, initial={"version": case.version}, workers=workers)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reassign(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                worker=form.cleaned_data["worker"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Case reassigned."))
            return redirect("cases:case-detail", pk=case.pk)
    return _form_page(request, "cases/case_reassign.html", {"form": form, "case": case}, form)


@login_required
@require_http_methods(["GET"])
def unit_caseloads(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(account_permissions.units_visible_to(request.user), pk=pk)
    authorize(
        request,
        account_permissions.can_view_unit_caseloads(request.user, unit),
        action="unit.caseloads",
        obj=unit,
    )
    loads = selectors.unit_caseloads(unit=unit)
    cases = permissions.cases_visible_to(request.user).filter(unit=unit)
    page = selectors.caseload_page(
        cases=cases,
        search=request.GET.get("q", "")[:100],
        sort=request.GET.get("sort", "worker"),
        page=request.GET.get("page", 1),
        today=clock.today(),
    )
    context = {
        "unit": unit,
        "loads": loads,
        "page": page,
        "search": request.GET.get("q", ""),
        "sort": request.GET.get("sort", "worker"),
        "sorts": selectors.SORTS,
        "can_reassign": request.user.is_supervisor,
        "reentries": selectors.recent_reentries(cases=cases, today=clock.today()),
    }
    return render(request, partial(request, "cases/unit_caseloads.html", "results"), context)


@login_required
@require_http_methods(["GET", "POST"])
def relative_notice(request: HttpRequest, pk: int) -> HttpResponse:
    episode = editable_episode(request, pk)
    form = RelativeNoticeForm(request.POST or None, initial={"sent_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.relative_notice_record(
                actor=request.user, episode=episode, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Relative notice recorded."))
            return redirect("cases:case-detail", pk=episode.case_id)
    context = {"form": form, "episode": episode, "case": episode.case}
    return _form_page(request, "cases/relative_notice.html", context, form)


@login_required
@require_http_methods(["GET", "POST"])
def concurrent_review(request: HttpRequest, pk: int) -> HttpResponse:
    episode = editable_episode(request, pk)
    form = ConcurrentReviewForm(request.POST or None, initial={"reviewed_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.concurrent_review_record(
                actor=request.user,
                episode=episode,
                reviewed_on=form.cleaned_data["reviewed_on"],
                reunification_likely=form.cleaned_data["likely"] == "yes",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Review recorded."))
            if form.cleaned_data["likely"] == "no":
                return redirect(reverse("cases:goal-set", args=[episode.pk]) + "?slot=concurrent")
            return redirect("cases:case-detail", pk=episode.case_id)
    context = {"form": form, "episode": episode, "case": episode.case}
    return _form_page(request, "cases/concurrent_review.html", context, form)


@login_required
@require_http_methods(["GET", "POST"])
def reentry_review(request: HttpRequest, pk: int) -> HttpResponse:
    """What the team thinks contributed to a re-entry: anyone who sees the case reads it; the
    case's editors record it."""
    episode = get_object_or_404(
        RemovalEpisode.objects.select_related("case", "child", "previous_episode").filter(
            case__in=permissions.cases_visible_to(request.user), previous_episode__isnull=False
        ),
        pk=pk,
    )
    can_edit = permissions.can_edit_case(request.user, episode.case)
    if request.method == "POST":
        authorize(request, can_edit, action="reentry.review", obj=episode, case_id=episode.case_id)
    review = ReentryReview.objects.filter(episode=episode).first()
    initial = (
        {"reviewed_on": review.reviewed_on, "factors": review.factors, "note": review.note}
        if review
        else {"reviewed_on": clock.today()}
    )
    form = ReentryReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reentry_review_record(
                actor=request.user,
                episode=episode,
                factors=form.cleaned_data["factors"],
                note=form.cleaned_data["note"],
                reviewed_on=form.cleaned_data["reviewed_on"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Re-entry review recorded."))
            return redirect("cases:case-detail", pk=episode.case_id)
    context = {
        "form": form,
        "episode": episode,
        "case": episode.case,
        "previous": episode.previous_episode,
        "review": review,
        "can_edit": can_edit,
    }
    return _form_page(request, "cases/reentry_review.html", context, form)


@login_required
@require_http_methods(["GET", "POST"])
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    """The handover summary built when the case was reassigned; the new worker acknowledges it."""
    summary = get_object_or_404(
        TransitionSummary.objects.select_related(
            "case", "assignment__worker", "acknowledged_by"
        ).filter(case__in=permissions.cases_visible_to(request.user)),
        pk=pk,
    )
    can_acknowledge = permissions.can_acknowledge_handover(request.user, summary)
    form = HandoverAcknowledgeForm(request.POST or None)
    if request.method == "POST":
        authorize(
            request,
            can_acknowledge,
            action="transition.acknowledge",
            obj=summary,
            case_id=summary.case_id,
        )
        if form.is_valid():
            try:
                services.transition_acknowledge(actor=request.user, summary=summary)
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, _("Handover acknowledged."))
                return redirect("cases:case-detail", pk=summary.case_id)
    context = {
        "form": form,
        "summary": summary,
        "case": summary.case,
        "content": transition_summary.display(summary.content, agency_id=summary.case.agency_id),
        "can_acknowledge": can_acknowledge,
    }
    return _form_page(request, "cases/transition.html", context, form)


@login_required
@require_http_methods(["GET", "POST"])
def intake_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Record or correct the report that brought the family in (staff only: AZ-7)."""
    case = _visible_case(request, pk)
    authorize(
        request,
        permissions.can_edit_case(request.user, case),
        action="intake_report.edit",
        obj=case,
        case_id=case.pk,
    )
    report = IntakeReport.objects.filter(case=case).first()
    initial = (
        {f: getattr(report, f) for f in services.INTAKE_FIELDS} | {"version": report.version}
        if report
        else {"received_on": case.opened_on}
    )
    form = IntakeReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.INTAKE_FIELDS}
        try:
            services.intake_report_record(
                actor=request.user,
                case=case,
                data=services.IntakeReportInput(**data),
                expected_version=form.cleaned_data.get("version"),
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Intake report saved."))
            return redirect(reverse("cases:case-detail", args=[case.pk]) + "#intake-report")
    context = {"form": form, "case": case}
    return _form_page(request, "cases/intake_report.html", context, form)
