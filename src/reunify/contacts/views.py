"""Recording contacts, a child's contacts and monthly compliance, unit and agency compliance."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.accounts import permissions as account_permissions
from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.clocks.forms import PeriodForm
from reunify.contacts import compliance, permissions, selectors, services
from reunify.contacts.forms import ContactForm
from reunify.core import clock
from reunify.core.forms_errors import apply_errors
from reunify.core.views import authorize
from reunify.family_time import selectors as family_time_selectors
from reunify.people.models import Person


def _child(case: FamilyCase, person_pk: int) -> Person:
    return get_object_or_404(
        case.participants.select_related("person"), person_id=person_pk, role=ParticipantRole.CHILD
    ).person


@login_required
@require_http_methods(["GET", "POST"])
def visit_record(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    """Record a contact concerning a child (the URL name predates contacts with adults)."""
    case = get_object_or_404(case_permissions.cases_visible_to(request.user), pk=pk)
    authorize(
        request,
        permissions.can_record_contact(request.user, case),
        action="contact.record",
        obj=case,
        case_id=case.pk,
    )
    child = _child(case, person_pk)
    adults = Person.objects.filter(
        participations__case=case,
        participations__role__in=[
            ParticipantRole.PARENT,
            ParticipantRole.RELATIVE,
            ParticipantRole.SUPPORT,
        ],
    ).order_by("last_name", "first_name")
    form = ContactForm(request.POST or None, adults=adults, initial={"occurred_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_record(actor=request.user, case=case, child=child, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Contact recorded."))
            return redirect("contacts:child-contacts", pk=case.pk, person_pk=child.pk)
    context = {"form": form, "case": case, "child": child}
    return render(
        request,
        "contacts/visit_record.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET"])
def child_contacts(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    case = get_object_or_404(case_permissions.cases_visible_to(request.user), pk=pk)
    child = _child(case, person_pk)
    today = clock.today()
    detail = selectors.child_contacts(case=case, child=child, today=today)
    context = {
        "case": case,
        "child": child,
        "detail": detail,
        "tally": detail.compliance.tally,
        "can_record": permissions.can_record_contact(request.user, case),
    }
    return render(request, "contacts/child_contacts.html", context)


def _period(request: HttpRequest, today: dt.date) -> tuple[PeriodForm, dt.date, dt.date]:
    """The months asked for; by default the last full month."""
    last_month = compliance.month_start(compliance.month_start(today) - dt.timedelta(days=1))
    start, end = last_month, compliance.month_end(last_month)
    form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end


def _compliance_page(
    request: HttpRequest, cases: object, title: str, scope: dict[str, object]
) -> HttpResponse:
    today = clock.today()
    form, start, end = _period(request, today)
    context = {
        **scope,
        "title": title,
        "form": form,
        "report": selectors.compliance_for_cases(cases=cases, start=start, end=end, today=today),
        "family_time": family_time_selectors.family_time_rates(
            cases=cases, start=start, end=end, today=today, tz=clock.agency_zone()
        ),
    }
    return render(
        request,
        "contacts/compliance.html",
        context,
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def unit_compliance(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(account_permissions.units_visible_to(request.user), pk=pk)
    authorize(
        request,
        permissions.can_view_unit_compliance(request.user, unit),
        action="unit.contacts_compliance",
        obj=unit,
    )
    cases = case_permissions.cases_visible_to(request.user).filter(unit=unit)
    title = _("%(unit)s: caseworker visits") % {"unit": unit.name}
    return _compliance_page(request, cases, title, {"unit": unit})


@login_required
@require_http_methods(["GET"])
def agency_compliance(request: HttpRequest) -> HttpResponse:
    authorize(
        request,
        permissions.can_view_agency_compliance(request.user),
        action="agency.contacts_compliance",
    )
    cases = case_permissions.cases_visible_to(request.user)
    title = _("%(agency)s: caseworker visits") % {"agency": request.user.agency.name}
    return _compliance_page(request, cases, title, {})
