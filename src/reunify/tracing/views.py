"""Family-tracing pages: home, registering a child, the child's page (actions, candidates,
best-interests decision, reunification, follow-up, closure), a new tracing request with the
children it seeks, the request's page with its candidates and their explanation, and a
candidate's page (confirm, reject, interviews, verify). Thin: parse, authorise, call one service
or selector, render. Every display of a child goes through `selectors.child_view`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.core import audit, clock
from reunify.core.concurrency import StaleEditError
from reunify.core.forms_errors import apply_errors
from reunify.core.models import AuditEvent
from reunify.core.views import authorize
from reunify.tracing import permissions, selectors, services
from reunify.tracing.forms import (
    ActionForm,
    AdultInterviewForm,
    ChildEditForm,
    ChildForm,
    ChildInterviewForm,
    CloseForm,
    ConfirmForm,
    DecisionForm,
    FollowUpForm,
    RejectForm,
    RequestForm,
    ReunificationForm,
    SoughtFormSet,
)
from reunify.tracing.models import (
    CandidateMatch,
    ChildStatus,
    MatchStatus,
    Reunification,
    SeparatedChild,
    TracingRequest,
)

# ---- home --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_tracing(request.user):
        raise Http404
    user = request.user
    context = {
        "can_work": permissions.can_work_tracing(user),
        "my_children": selectors.my_children(user),
        "my_requests": selectors.my_requests(user),
        "likely": selectors.likely_matches(user),
        "children": selectors.recent_children(user),
        "requests": selectors.recent_requests(user),
    }
    return render(request, "tracing/home.html", context)


# ---- the child ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def child_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_tracing(request.user):
        raise Http404
    authorize(request, permissions.can_work_tracing(request.user), action="tracing.child_new")
    today = clock.today()
    form = ChildForm(request.POST or None, request.FILES or None, initial={"registered_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            child = services.child_register(
                actor=request.user, details=form.details(), photo=form.photo_bytes()
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(
                request, _("Child %(reference)s registered.") % {"reference": child.reference}
            )
            return redirect("tracing:child-detail", pk=child.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "tracing/child_form.html", {"form": form}, status=status)


def _child(request: HttpRequest, pk: int, *, write: bool = False) -> SeparatedChild:
    child = get_object_or_404(
        permissions.children_visible_to(request.user).select_related("worker__unit"), pk=pk
    )
    if write:
        authorize(
            request,
            permissions.can_work_child(request.user, child),
            action="tracing.child_work",
            obj=child,
        )
    return child


def _child_page(
    request: HttpRequest, child: SeparatedChild, *, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    view = selectors.child_view(user, child, on_child_side=True)
    if view.confidential is not None:
        audit.record(
            actor=user,
            action="tracing.child_viewed",
            kind=AuditEvent.Kind.ACCESS,
            obj=child,
            agency_id=child.agency_id,
            summary=f"Viewed separated child {child.reference} with confidential facts",
        )
    verified = _verified_choices(child)
    today = clock.today()
    decisions = list(selectors.child_decisions(child))
    context = {
        "child": view,
        "record": child,
        "can_work": permissions.can_work_child(user, child),
        "can_edit": permissions.can_edit_registration(user, child),
        "actions": child.actions.select_related("recorded_by"),
        "candidates": selectors.child_candidates(user, child),
        "rejected": selectors.child_rejected(user, child),
        "decisions": decisions,
        "pending_decision": next((d for d in decisions if not d.approved), None),
        "reunification": Reunification.objects.filter(child=child).first(),
        "follow_ups": child.follow_ups.select_related("recorded_by"),
        "action_form": forms.get("action_form") or ActionForm(initial={"on": today}),
        "decision_form": forms.get("decision_form") or DecisionForm(matches=verified),
        "reunification_form": forms.get("reunification_form")
        or ReunificationForm(matches=verified, initial={"on": today}),
        "follow_up_form": forms.get("follow_up_form") or FollowUpForm(initial={"on": today}),
        "close_form": forms.get("close_form") or CloseForm(initial={"confirm": "yes"}),
        "has_verified": bool(verified),
        "statuses": ChildStatus,
    }
    return render(request, "tracing/child_detail.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_page(request, _child(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk)
    authorize(
        request,
        permissions.can_edit_registration(request.user, child),
        action="tracing.child_edit",
        obj=child,
    )
    initial = {
        name: getattr(child, name)
        for name in ChildEditForm.base_fields
        if name not in ("photo", "remove_photo") and hasattr(child, name)
    }
    form = ChildEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_update(
                actor=request.user,
                child=child,
                expected_version=form.cleaned_data["version"],
                details=form.details(),
                photo=form.photo_bytes(),
                remove_photo=form.cleaned_data["remove_photo"],
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Registration saved."))
            return redirect("tracing:child-detail", pk=child.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "tracing/child_form.html", {"form": form, "record": child}, status=status
    )


@login_required
@require_http_methods(["GET"])
def child_photo(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk)
    allowed = permissions.can_see_confidential(request.user, child, on_child_side=True)
    if not allowed or not child.photo_type:
        raise Http404
    response = HttpResponse(bytes(child.photo), content_type=child.photo_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


def _done(request: HttpRequest, text: str, to: str, pk: int) -> HttpResponse:
    messages.success(request, text)
    return redirect(to, pk=pk)


@login_required
@require_http_methods(["POST"])
def child_action(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk, write=True)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.action_record(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            return _done(request, _("Tracing action recorded."), "tracing:child-detail", child.pk)
    return _child_page(request, child, status=400, action_form=form)


def _verified_choices(child: SeparatedChild) -> list[tuple[int, str]]:
    return [
        (m.pk, f"{m.request.requester_name} ({m.request.reference})")
        for m in selectors.verified_matches(child)
    ]


@login_required
@require_http_methods(["POST"])
def child_decision(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk, write=True)
    form = DecisionForm(request.POST, matches=_verified_choices(child))
    if form.is_valid():
        data = dict(form.cleaned_data)
        match_pk = data.pop("match")
        match = child.candidates.filter(pk=match_pk).first() if match_pk else None
        try:
            services.decision_propose(actor=request.user, child=child, match=match, **data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            return _done(
                request,
                _("Best-interests decision proposed; two other people must approve it."),
                "tracing:child-detail",
                child.pk,
            )
    return _child_page(request, child, status=400, decision_form=form)


@login_required
@require_http_methods(["POST"])
def decision_approve(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        permissions.decisions_visible_to(request.user).select_related("child__worker__unit"),
        pk=pk,
    )
    child = decision.child
    authorize(
        request,
        permissions.can_approve_decision(request.user, decision),
        action="tracing.decision_approve",
        obj=decision,
    )
    if not ConfirmForm(request.POST).is_valid():
        messages.error(request, _("Nothing was changed."))
        return _child_page(request, child, status=400)
    try:
        decision = services.decision_approve(actor=request.user, decision=decision)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _child_page(request, child, status=400)
    text = (
        _("Decision approved.")
        if decision.approved
        else _("First approval recorded; a second person must approve.")
    )
    return _done(request, text, "tracing:child-detail", child.pk)


@login_required
@require_http_methods(["POST"])
def child_reunification(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk, write=True)
    form = ReunificationForm(request.POST, matches=_verified_choices(child))
    if form.is_valid():
        data = dict(form.cleaned_data)
        match = child.candidates.get(pk=data.pop("match"))
        try:
            services.reunification_record(actor=request.user, child=child, match=match, **data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            return _done(request, _("Reunification recorded."), "tracing:child-detail", child.pk)
    return _child_page(request, child, status=400, reunification_form=form)


@login_required
@require_http_methods(["POST"])
def child_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk, write=True)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_record(actor=request.user, child=child, **form.values())
        except ValidationError as error:
            apply_errors(error, form)
        else:
            return _done(request, _("Follow-up recorded."), "tracing:child-detail", child.pk)
    return _child_page(request, child, status=400, follow_up_form=form)


@login_required
@require_http_methods(["POST"])
def child_close(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk, write=True)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.child_close(
                actor=request.user, child=child, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            return _done(request, _("Case closed."), "tracing:child-detail", child.pk)
    return _child_page(request, child, status=400, close_form=form)


# ---- the request -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_tracing(request.user):
        raise Http404
    authorize(request, permissions.can_work_tracing(request.user), action="tracing.request_new")
    data = request.POST if request.method == "POST" else None
    form = RequestForm(data, initial={"requested_on": clock.today()})
    sought = SoughtFormSet(data, prefix="sought")
    if request.method == "POST" and form.is_valid() and sought.is_valid():
        children = [s for s in (f.sought() for f in sought.forms) if s is not None]
        try:
            tracing_request = services.request_create(
                actor=request.user, details=form.details(), sought=children
            )
        except ValidationError as error:
            apply_errors(error, form, formsets={"sought": sought})
        else:
            messages.success(
                request,
                _("Tracing request %(reference)s recorded.")
                % {"reference": tracing_request.reference},
            )
            return redirect("tracing:request-detail", pk=tracing_request.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "tracing/request_form.html", {"form": form, "sought": sought}, status=status
    )


def _request(request: HttpRequest, pk: int, *, write: bool = False) -> TracingRequest:
    tracing_request = get_object_or_404(
        permissions.requests_visible_to(request.user).select_related("worker"), pk=pk
    )
    if write:
        authorize(
            request,
            permissions.can_work_request(request.user, tracing_request),
            action="tracing.request_work",
            obj=tracing_request,
        )
    return tracing_request


def _request_page(
    request: HttpRequest, tracing_request: TracingRequest, *, status: int = 200, form: Any = None
) -> HttpResponse:
    context = {
        "tracing_request": tracing_request,
        "sought": selectors.request_sought(request.user, tracing_request),
        "rejected": selectors.request_rejected(request.user, tracing_request),
        "actions": tracing_request.actions.select_related("recorded_by"),
        "can_work": permissions.can_work_request(request.user, tracing_request),
        "action_form": form or ActionForm(initial={"on": clock.today()}),
    }
    return render(request, "tracing/request_detail.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, _request(request, pk))


@login_required
@require_http_methods(["POST"])
def request_action(request: HttpRequest, pk: int) -> HttpResponse:
    tracing_request = _request(request, pk, write=True)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.action_record(actor=request.user, request=tracing_request, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            return _done(
                request, _("Tracing action recorded."), "tracing:request-detail", tracing_request.pk
            )
    return _request_page(request, tracing_request, status=400, form=form)


# ---- a candidate -------------------------------------------------------------------------------


def _candidate(request: HttpRequest, pk: int, *, write: bool = False) -> CandidateMatch:
    candidate = get_object_or_404(
        permissions.candidates_visible_to(request.user).select_related(
            "request__worker", "sought", "child__worker__unit", "decided_by"
        ),
        pk=pk,
    )
    if write:
        authorize(
            request,
            permissions.can_work_request(request.user, candidate.request),
            action="tracing.candidate_work",
            obj=candidate,
        )
    return candidate


def _candidate_page(
    request: HttpRequest, candidate: CandidateMatch, *, status: int = 200, **forms: Any
) -> HttpResponse:
    today = clock.today()
    context = {
        "candidate": candidate,
        "tracing_request": candidate.request,
        "sought": candidate.sought,
        "child": selectors.child_view(request.user, candidate.child, on_child_side=False),
        "evidence": selectors.evidence(candidate),
        "interviews": candidate.interviews.select_related("interviewer"),
        "gaps": [_(services.VERIFICATION_GAPS[g]) for g in services.verification_gaps(candidate)]
        if candidate.status == MatchStatus.CONFIRMED
        else [],
        "can_work": permissions.can_work_request(request.user, candidate.request),
        "reject_form": forms.get("reject_form") or RejectForm(initial={"confirm": "yes"}),
        "child_interview_form": forms.get("child_interview_form")
        or ChildInterviewForm(initial={"on": today}, prefix="child"),
        "adult_interview_form": forms.get("adult_interview_form")
        or AdultInterviewForm(initial={"on": today}, prefix="adult"),
    }
    return render(request, "tracing/candidate_detail.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _candidate_page(request, _candidate(request, pk))


def _candidate_step(request: HttpRequest, pk: int, service: Any, done: str) -> HttpResponse:
    candidate = _candidate(request, pk, write=True)
    if not ConfirmForm(request.POST).is_valid():
        messages.error(request, _("Nothing was changed."))
        return _candidate_page(request, candidate, status=400)
    try:
        service(actor=request.user, match=candidate)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _candidate_page(request, candidate, status=400)
    return _done(request, done, "tracing:candidate-detail", candidate.pk)


@login_required
@require_http_methods(["POST"])
def candidate_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _candidate_step(
        request, pk, services.candidate_confirm, _("Confirmed for verification.")
    )


@login_required
@require_http_methods(["POST"])
def candidate_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _candidate_step(request, pk, services.candidate_verify, _("Relationship verified."))


@login_required
@require_http_methods(["POST"])
def candidate_reject(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk, write=True)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_reject(
                actor=request.user, match=candidate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            return _done(
                request,
                _("Candidate rejected; it will not be proposed again."),
                "tracing:request-detail",
                candidate.request_id,
            )
    return _candidate_page(request, candidate, status=400, reject_form=form)


@login_required
@require_http_methods(["POST"])
def candidate_interview(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk, write=True)
    adult = request.POST.get("adult-interviewee") == "adult"
    form: ChildInterviewForm | AdultInterviewForm = (
        AdultInterviewForm(request.POST, prefix="adult")
        if adult
        else ChildInterviewForm(request.POST, prefix="child")
    )
    if form.is_valid():
        try:
            services.interview_record(actor=request.user, match=candidate, **form.values())
        except ValidationError as error:
            apply_errors(error, form)
        else:
            return _done(
                request, _("Interview recorded."), "tracing:candidate-detail", candidate.pk
            )
    key = "adult_interview_form" if adult else "child_interview_form"
    return _candidate_page(request, candidate, status=400, **{key: form})
