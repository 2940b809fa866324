"""Assessment pages: a case's assessments, recording one (a form built from the definition),
one response in full, change scores, reviewing a condition for return, and the readiness page of
a child in care. Parse, authorise, call one service or selector, render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.assessments import display, pages, permissions, selectors, services
from reunify.assessments.display import ASKS, RECORD, WORDING
from reunify.assessments.forms import ConditionReviewForm, ResponseForm, WordingForm
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


def _response_form(request: HttpRequest, case: FamilyCase, key: str) -> ResponseForm:
    instrument = selectors.latest_instrument(key, agency_id=case.agency_id)
    today = clock.today()
    children = [child for child, _episode in selectors.children_in_care(case)]
    prefill = (
        selectors.visitation_prefill(case=case, children=children, on=today)
        if instrument.per_child
        else {}
    )
    return ResponseForm(
        request.POST or None,
        instrument=instrument,
        children=children,
        prefill=prefill,
        initial={"recorded_on": today},
    )


def _asked_state(blocks: list[Any]) -> str:
    """Which conditional sections the answers ask, as one string the form carries back."""
    return ",".join(
        f"{b.section.id}:{b.child.pk if b.child else ''}:{b.asked}" for b in blocks if b.asked_when
    )


def _record_context(case: FamilyCase, key: str, form: ResponseForm) -> dict[str, Any]:
    blocks = form.blocks()
    return {
        "case": case,
        "form": form,
        "instrument": form.instrument,
        "name": display.instrument_name(key, form.instrument),
        "blocks": blocks,
        "asked_state": _asked_state(blocks),
        "override_rows": form.override_rows(),
        "sections_url": reverse(f"assessments:{ASKS[key]}", args=[case.pk]) if key in ASKS else "",
    }


@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Record an assessment with the latest version of the instrument `key`."""
    case = _case(request, pk, edit=True, action=f"assessments.record.{key}")
    form = _response_form(request, case, key)
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
    context = _record_context(case, key, form)
    return render(request, "assessments/record.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def record_sections(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The conditional sections of the form being filled in (htmx): which ones the answers so
    far ask. Records nothing; recording checks the same rule again."""
    case = _case(request, pk, edit=True, action=f"assessments.record_sections.{key}")
    form = _response_form(request, case, key)
    context = _record_context(case, key, form)
    if request.POST.get("asked_state") == context["asked_state"]:
        # Nothing to redraw: leave the section (and any answers typed meanwhile) alone.
        return HttpResponse(status=204)
    return render(request, "assessments/record.html#asked", context)


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


# ---- the agency's licensed wording ---------------------------------------------------------


@dataclass
class WordingLine:
    key: str
    name: str
    version: int
    items: int
    worded: int
    url: str


@login_required
@require_http_methods(["GET"])
def wording_list(request: HttpRequest) -> HttpResponse:
    """Every version of every licensed instrument, with how many items the agency has worded."""
    authorize(request, permissions.can_manage_wording(request.user), action="assessments.wording")
    counts = selectors.wording_counts(agency_id=request.user.agency_id)
    lines = [
        WordingLine(
            key=i.key,
            name=display.instrument_name(i.key, i),
            version=i.version,
            items=len(i.items),
            worded=counts.get((i.key, i.version), 0),
            url=f"{reverse(f'assessments:{WORDING[i.key][1]}')}?version={i.version}",
        )
        for i in selectors.licensed_versions()
        if i.key in WORDING
    ]
    return render(request, "assessments/wording_list.html", {"lines": lines})


def _version(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def wording_edit(request: HttpRequest, key: str) -> HttpResponse:
    """The agency's wording of one version (`?version=`, default the latest) of `key`."""
    authorize(
        request,
        permissions.can_manage_wording(request.user),
        action=f"assessments.wording.{key}",
    )
    agency_id = request.user.agency_id
    raw = request.POST.get("version") if request.method == "POST" else request.GET.get("version")
    try:
        # The plain definition: the page shows the short labels next to the agency's text.
        instrument = selectors.instrument_for(key=key, version=_version(raw), agency_id=None)
    except KeyError:
        raise Http404 from None
    rows = selectors.wording_rows(agency_id=agency_id, key=key, version=instrument.version)
    initial: dict[str, Any] = {"version": instrument.version}
    for item_id, row in rows.items():
        initial[f"{item_id}__text"] = row.text
        initial[f"{item_id}__text_es"] = row.text_es
    form = WordingForm(request.POST or None, instrument=instrument, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.wording_set(
                actor=request.user,
                instrument_key=key,
                instrument_version=instrument.version,
                texts=form.texts(),
            )
        except ValidationError as error:
            _wording_errors_on(form, error)
        else:
            messages.success(request, _("The wording is saved."))
            return redirect("assessments:wording")
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "instrument": instrument,
        "name": display.instrument_name(key, instrument),
    }
    return render(request, "assessments/wording_edit.html", context, status=status)


def _wording_errors_on(form: WordingForm, error: ValidationError) -> None:
    """The service keys errors by item id; the form's fields are `<item>__text`."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for item_id, errors in error.message_dict.items():
        name = f"{item_id}__text"
        form.add_error(name if name in form.fields else None, errors)
