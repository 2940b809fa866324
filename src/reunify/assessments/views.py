"""Assessment pages: a case's assessments, recording one (a form built from the definition),
one response in full, change scores, reviewing a condition for return, and the readiness page of
a child in care. Parse, authorise, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.assessments import display, pages, permissions, selectors, services
from reunify.assessments.display import RECORD
from reunify.assessments.forms import ConditionReviewForm, ResponseForm
from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase
from reunify.core import audit, clock
from reunify.core.forms_errors import apply_errors
from reunify.core.models import AuditEvent
from reunify.core.views import authorize


def _case(request: HttpRequest, pk: int, *, edit: bool, action: str) -> FamilyCase:
    case = get_object_or_404(case_permissions.cases_visible_to(request.user), pk=pk)
    allowed = (permissions.can_record_assessments if edit else permissions.can_view_assessments)(
        request.user, case
    )
    authorize(request, allowed, action=action, obj=case, case_id=case.pk)
    return case


def _viewed(request: HttpRequest, obj: Any, case: FamilyCase, action: str, summary: str) -> None:
    audit.record(
        actor=request.user,
        action=f"assessments.{action}",
        kind=AuditEvent.Kind.ACCESS,
        obj=obj,
        case_id=case.pk,
        summary=summary,
    )


@login_required
@require_http_methods(["GET"])
def case_assessments(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=False, action="assessments.list")
    _viewed(request, case, case, "viewed", f"Viewed the assessments of case {case.number}")
    groups = pages.case_assessments(case=case)
    for group in groups:
        group.record_url = reverse(f"assessments:{RECORD[group.key][1]}", args=[case.pk])
    context = {
        "case": case,
        "groups": groups,
        "children": selectors.children_in_care(case),
        "can_record": permissions.can_record_assessments(request.user, case),
    }
    return render(request, "assessments/case_assessments.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Record an assessment with the latest version of the instrument `key`."""
    case = _case(request, pk, edit=True, action=f"assessments.record.{key}")
    instrument = selectors.latest_instrument(key)
    today = clock.today()
    children = [child for child, _episode in selectors.children_in_care(case)]
    prefill = (
        selectors.visitation_prefill(case=case, children=children, on=today)
        if instrument.per_child
        else {}
    )
    form = ResponseForm(
        request.POST or None,
        instrument=instrument,
        children=children,
        prefill=prefill,
        initial={"recorded_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_record(
                actor=request.user,
                case=case,
                instrument_key=key,
                answers=form.answers(),
                overrides=form.overrides(),
                children=form.chosen_children(),
                timepoint=form.cleaned_data.get("timepoint", ""),
                recorded_on=form.cleaned_data["recorded_on"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("The assessment was recorded."))
            return redirect("assessments:response-detail", pk=response.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "case": case,
        "form": form,
        "instrument": instrument,
        "name": display.instrument_name(key, instrument),
        "blocks": form.blocks(),
        "override_rows": form.override_rows(),
    }
    return render(request, "assessments/record.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(
        permissions.responses_visible_to(request.user).select_related("case", "recorded_by"),
        pk=pk,
    )
    case = response.case
    authorize(
        request,
        permissions.can_view_assessments(request.user, case),
        action="assessments.response",
        obj=response,
        case_id=case.pk,
    )
    _viewed(request, response, case, "response_viewed", f"Viewed assessment {response.pk}")
    context = {"case": case, "page": pages.response_page(response)}
    return render(request, "assessments/response_detail.html", context)


@login_required
@require_http_methods(["GET"])
def change_scores(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=False, action="assessments.change")
    _viewed(request, case, case, "change_viewed", f"Viewed change scores of case {case.number}")
    context = {"case": case, "tables": pages.change_tables(case=case)}
    return render(request, "assessments/change.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def condition_review(request: HttpRequest, pk: int) -> HttpResponse:
    condition = get_object_or_404(
        permissions.conditions_visible_to(request.user).select_related("case"), pk=pk
    )
    case = condition.case
    authorize(
        request,
        permissions.can_record_assessments(request.user, case),
        action="assessments.condition_review",
        obj=condition,
        case_id=case.pk,
    )
    form = ConditionReviewForm(request.POST or None, today=clock.today())
    if request.method == "POST" and form.is_valid():
        try:
            services.condition_review(
                actor=request.user,
                condition=condition,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                reviewed_on=form.cleaned_data["reviewed_on"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("The review was recorded."))
            return redirect("case_plans:plan", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    line = next(
        line
        for line in pages.condition_lines(case=case, today=clock.today())
        if line.condition.pk == condition.pk
    )
    context = {"case": case, "form": form, "line": line}
    return render(request, "assessments/condition_review.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def readiness(request: HttpRequest, pk: int) -> HttpResponse:
    episode = get_object_or_404(
        permissions.episodes_visible_to(request.user).select_related("case", "child"), pk=pk
    )
    case = episode.case
    authorize(
        request,
        permissions.can_view_assessments(request.user, case),
        action="assessments.readiness",
        obj=episode,
        case_id=case.pk,
    )
    _viewed(
        request,
        episode,
        case,
        "readiness_viewed",
        f"Viewed the readiness of {episode.child.full_name} (case {case.number})",
    )
    context = {
        "case": case,
        "page": pages.readiness(episode=episode),
        "can_record": permissions.can_record_assessments(request.user, case),
    }
    return render(request, "assessments/readiness.html", context)
