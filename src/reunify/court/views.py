"""Court pages: parse, authorise, call one service or selector, render."""

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

from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase
from reunify.core import clock
from reunify.core.concurrency import StaleEditError
from reunify.core.forms_errors import apply_errors
from reunify.core.views import authorize
from reunify.court import permissions, selectors, services
from reunify.court.forms import (
    FindingForm,
    HearingContinueForm,
    HearingHeldForm,
    HearingScheduleForm,
    HearingVacateForm,
    OrderForm,
    PetitionForm,
)
from reunify.court.models import Hearing


def _case_page(case_id: int) -> HttpResponse:
    return redirect(reverse("cases:case-detail", args=[case_id]) + "#court")


def _data(request: HttpRequest) -> Any:
    """The posted data, bound even when empty so that an empty POST is an invalid form."""
    return request.POST if request.method == "POST" else None


def _form_page(
    request: HttpRequest, template: str, context: dict[str, Any], form: Any
) -> HttpResponse:
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, template, context, status=status)


def _editable_case(request: HttpRequest, pk: int, action: str) -> FamilyCase:
    case = get_object_or_404(case_permissions.cases_visible_to(request.user), pk=pk)
    authorize(
        request,
        permissions.can_edit_court(request.user, case),
        action=action,
        obj=case,
        case_id=case.pk,
    )
    return case


def _editable_hearing(request: HttpRequest, pk: int, action: str) -> Hearing:
    hearing = get_object_or_404(
        permissions.hearings_visible_to(request.user).select_related("case"), pk=pk
    )
    authorize(
        request,
        permissions.can_edit_hearing(request.user, hearing),
        action=action,
        obj=hearing,
        case_id=hearing.case_id,
    )
    return hearing


def _hearing_from_query(request: HttpRequest, form: Any) -> Hearing | None:
    """A held hearing of the case named by ?hearing=, to preselect it."""
    raw = request.GET.get("hearing", "")
    if not raw.isdigit():
        return None
    return form.fields["hearing"].queryset.filter(pk=int(raw)).first()


# ---- calendar ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def calendar(request: HttpRequest) -> HttpResponse:
    when = request.GET.get("when", "upcoming")
    if when not in selectors.CALENDAR_VIEWS:
        when = "upcoming"
    today = clock.today()
    hearings = permissions.hearings_visible_to(request.user)
    page = selectors.calendar_page(
        hearings=hearings, when=when, today=today, page=request.GET.get("page", 1)
    )
    context = {
        "page": page,
        "when": when,
        "today": today,
        "awaiting": selectors.awaiting_outcome_count(hearings=hearings, today=today),
    }
    return render(request, "court/calendar.html", context)


# ---- hearings ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def hearing_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    case = _editable_case(request, pk, "hearing.schedule")
    form = HearingScheduleForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.hearing_schedule(
                actor=request.user,
                case=case,
                kind=form.cleaned_data["kind"],
                scheduled_for=form.cleaned_data["scheduled_for"],
                scheduled_time=form.cleaned_data["scheduled_time"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Hearing scheduled."))
            return _case_page(case.pk)
    return _form_page(request, "court/hearing_schedule.html", {"form": form, "case": case}, form)


@login_required
@require_http_methods(["GET", "POST"])
def hearing_held(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = _editable_hearing(request, pk, "hearing.held")
    today = clock.today()
    initial = {"held_on": min(hearing.scheduled_for, today), "version": hearing.version}
    form = HearingHeldForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.hearing_record_held(
                actor=request.user,
                hearing=hearing,
                expected_version=form.cleaned_data["version"],
                held_on=form.cleaned_data["held_on"],
                attendees=form.cleaned_data["attendees"],
                notes=form.cleaned_data["notes"],
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Hearing recorded as held."))
            return _case_page(hearing.case_id)
    context = {"form": form, "hearing": hearing, "case": hearing.case}
    return _form_page(request, "court/hearing_held.html", context, form)


@login_required
@require_http_methods(["GET", "POST"])
def hearing_continue(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = _editable_hearing(request, pk, "hearing.continue")
    form = HearingContinueForm(
        _data(request),
        initial={"new_time": hearing.scheduled_time, "version": hearing.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.hearing_continue(
                actor=request.user,
                hearing=hearing,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                new_date=form.cleaned_data["new_date"],
                new_time=form.cleaned_data["new_time"],
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Hearing continued; the new date is on the calendar."))
            return _case_page(hearing.case_id)
    context = {"form": form, "hearing": hearing, "case": hearing.case}
    return _form_page(request, "court/hearing_continue.html", context, form)


@login_required
@require_http_methods(["GET", "POST"])
def hearing_vacate(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = _editable_hearing(request, pk, "hearing.vacate")
    form = HearingVacateForm(_data(request), initial={"version": hearing.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.hearing_vacate(
                actor=request.user,
                hearing=hearing,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Hearing vacated."))
            return _case_page(hearing.case_id)
    context = {"form": form, "hearing": hearing, "case": hearing.case}
    return _form_page(request, "court/hearing_vacate.html", context, form)


# ---- findings, orders, petitions ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def finding_record(request: HttpRequest, pk: int) -> HttpResponse:
    case = _editable_case(request, pk, "finding.record")
    form = FindingForm(_data(request), case=case, initial={"made_on": clock.today()})
    if request.method == "GET" and (hearing := _hearing_from_query(request, form)):
        form.initial.update(hearing=hearing.pk, made_on=hearing.held_on)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_record(
                actor=request.user,
                case=case,
                child=form.cleaned_data["child"],
                kind=form.cleaned_data["kind"],
                made_on=form.cleaned_data["made_on"],
                hearing=form.cleaned_data["hearing"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Finding recorded."))
            return _case_page(case.pk)
    return _form_page(request, "court/finding_record.html", {"form": form, "case": case}, form)


@login_required
@require_http_methods(["GET", "POST"])
def order_record(request: HttpRequest, pk: int) -> HttpResponse:
    case = _editable_case(request, pk, "order.record")
    form = OrderForm(_data(request), case=case, initial={"issued_on": clock.today()})
    if request.method == "GET" and (hearing := _hearing_from_query(request, form)):
        form.initial.update(hearing=hearing.pk, issued_on=hearing.held_on)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_record(
                actor=request.user,
                case=case,
                kind=form.cleaned_data["kind"],
                issued_on=form.cleaned_data["issued_on"],
                text=form.cleaned_data["text"],
                child=form.cleaned_data["child"],
                hearing=form.cleaned_data["hearing"],
                effective_until=form.cleaned_data["effective_until"],
                parent=form.cleaned_data["parent"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Court order recorded."))
            return _case_page(case.pk)
    return _form_page(request, "court/order_record.html", {"form": form, "case": case}, form)


@login_required
@require_http_methods(["GET", "POST"])
def petition_file(request: HttpRequest, pk: int) -> HttpResponse:
    case = _editable_case(request, pk, "petition.file")
    form = PetitionForm(_data(request), case=case, initial={"filed_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.petition_file(
                actor=request.user,
                case=case,
                kind=form.cleaned_data["kind"],
                filed_on=form.cleaned_data["filed_on"],
                grounds=form.cleaned_data["grounds"],
                child=form.cleaned_data["child"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Petition recorded."))
            return _case_page(case.pk)
    return _form_page(request, "court/petition_file.html", {"form": form, "case": case}, form)
