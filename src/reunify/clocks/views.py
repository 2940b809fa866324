"""What's due, the unit's clocks and compliance, clock exceptions, digest and profile settings."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.accounts import permissions as account_permissions
from reunify.cases import permissions as case_permissions
from reunify.cases.models import RemovalEpisode
from reunify.clocks import permissions, profiles, selectors, services
from reunify.clocks.actions import action_for
from reunify.clocks.forms import AgencyProfileForm, ClockExceptionForm, DigestForm, PeriodForm
from reunify.core import clock
from reunify.core.forms_errors import apply_errors
from reunify.core.views import authorize
from reunify.messaging import selectors as messaging_selectors
from reunify.referrals import selectors as referral_selectors


@login_required
@require_http_methods(["GET"])
def due(request: HttpRequest) -> HttpResponse:
    """Overdue first, then due within 14 days, each explained, with the page that satisfies it."""
    today = clock.today()
    snapshots = selectors.due_list(
        cases=case_permissions.cases_visible_to(request.user), today=today
    )
    page = Paginator(snapshots, 50).get_page(request.GET.get("page", 1))
    rows = [
        (s, action_for(s) if case_permissions.can_edit_case(request.user, s.case) else None)
        for s in page.object_list
    ]
    return render(
        request,
        "clocks/due.html",
        {
            "page": page,
            "rows": rows,
            "today": today,
            "search": "",
            "sort": "",
            "referrals_overdue": referral_selectors.overdue_for(request.user, today=today),
            "messages_waiting": messaging_selectors.waiting_for(request.user),
        },
    )


@login_required
@require_http_methods(["GET"])
def unit_clocks(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(account_permissions.units_visible_to(request.user), pk=pk)
    authorize(
        request,
        account_permissions.can_view_unit_caseloads(request.user, unit),
        action="unit.clocks",
        obj=unit,
    )
    today = clock.today()
    form = PeriodForm(
        request.GET or None, initial={"start": today - dt.timedelta(days=365), "end": today}
    )
    start, end = today - dt.timedelta(days=365), today
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    cases = case_permissions.cases_visible_to(request.user).filter(unit=unit)
    context = {
        "unit": unit,
        "form": form,
        "start": start,
        "end": end,
        "workers": selectors.unit_clock_counts(cases=cases),
        "compliance": selectors.unit_compliance(
            cases=cases,
            start=start,
            end=end,
            today=today,
            profile=profiles.get(unit.agency.clock_profile),
        ),
    }
    return render(
        request,
        "clocks/unit_clocks.html",
        context,
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def exception_record(request: HttpRequest, pk: int) -> HttpResponse:
    episode = get_object_or_404(
        RemovalEpisode.objects.select_related("case", "child").filter(
            case__in=case_permissions.cases_visible_to(request.user)
        ),
        pk=pk,
    )
    authorize(
        request,
        permissions.can_record_clock_exception(request.user, episode.case),
        action="clock.exception",
        obj=episode,
        case_id=episode.case_id,
    )
    form = ClockExceptionForm(request.POST or None, initial={"recorded_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.clock_exception_record(
                actor=request.user,
                episode=episode,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                recorded_on=form.cleaned_data["recorded_on"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Exception recorded."))
            return redirect("cases:case-detail", pk=episode.case_id)
    context = {"form": form, "episode": episode, "case": episode.case}
    return render(
        request,
        "clocks/exception_record.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def digest_settings(request: HttpRequest) -> HttpResponse:
    form = DigestForm(
        request.POST if request.method == "POST" else None,
        initial={"wants_digest": request.user.wants_digest},
    )
    if request.method == "POST" and form.is_valid():
        services.digest_preference_set(
            actor=request.user, wants_digest=form.cleaned_data["wants_digest"]
        )
        messages.success(request, _("Your e-mail preference is saved."))
        return redirect("clocks:due")
    return render(
        request,
        "clocks/digest_settings.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_profile(request: HttpRequest) -> HttpResponse:
    authorize(
        request, permissions.can_choose_clock_profile(request.user), action="agency.clock_profile"
    )
    agency = request.user.agency
    form = AgencyProfileForm(request.POST or None, initial={"clock_profile": agency.clock_profile})
    if request.method == "POST" and form.is_valid():
        services.agency_profile_set(
            actor=request.user, agency=agency, key=form.cleaned_data["clock_profile"]
        )
        messages.success(
            request,
            _(
                "The agency's clock rules are saved; clocks are recomputed tonight and on every new event."
            ),
        )
        return redirect("accounts:staff-list")
    return render(
        request,
        "clocks/agency_profile.html",
        {"form": form, "agency": agency},
        status=400 if request.method == "POST" else 200,
    )
