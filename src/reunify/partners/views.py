"""Staff pages for parent partners: the mentor list with capacity, adding and editing a mentor,
and a case's participation (refer, consent, offer, answer, ranked match, close). Thin: parse,
authorise, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.cases.models import FamilyCase
from reunify.cases.permissions import cases_visible_to
from reunify.core import clock
from reunify.core.forms_errors import apply_errors
from reunify.core.views import authorize
from reunify.partners import permissions, selectors, services
from reunify.partners.forms import (
    CloseForm,
    ConfirmForm,
    ConsentForm,
    MatchForm,
    MentorEditForm,
    MentorForm,
    ReferForm,
)
from reunify.partners.models import Mentor, Participation, Status

# ---- mentors -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def mentor_list(request: HttpRequest) -> HttpResponse:
    """The coordinator's list of mentors with their open places."""
    authorize(request, permissions.can_view_mentors(request.user), action="partners.mentor_list")
    mentors = selectors.mentor_list(permissions.mentors_visible_to(request.user))
    return render(
        request,
        "partners/mentor_list.html",
        {"mentors": mentors, "can_manage": permissions.can_manage_mentors(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mentor_new(request: HttpRequest) -> HttpResponse:
    authorize(request, permissions.can_manage_mentors(request.user), action="partners.mentor_new")
    form = MentorForm(request.POST or None, initial={"eligibility_verified_on": clock.today()})
    link = ""
    if request.method == "POST" and form.is_valid():
        try:
            _mentor, path = services.mentor_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            link = request.build_absolute_uri(path)
            messages.success(request, _("Parent partner added."))
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "partners/mentor_form.html", {"form": form, "link": link}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def mentor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = get_object_or_404(permissions.mentors_visible_to(request.user), pk=pk)
    authorize(
        request,
        permissions.can_manage_mentors(request.user),
        action="partners.mentor_edit",
        obj=mentor,
    )
    initial = {
        field: getattr(mentor, field)
        for field in MentorEditForm.base_fields
        if hasattr(mentor, field)
    }
    form = MentorEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_update(actor=request.user, mentor=mentor, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Parent partner saved."))
            return redirect("partners:mentor-list")
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "partners/mentor_form.html",
        {"form": form, "mentor": mentor, "link": ""},
        status=status,
    )


# ---- a case's participation ------------------------------------------------------------------


def _case(request: HttpRequest, pk: int, *, write: bool) -> FamilyCase:
    case = get_object_or_404(cases_visible_to(request.user).select_related("agency"), pk=pk)
    allowed = (
        permissions.can_coordinate(request.user, case)
        if write
        else permissions.can_view_participation(request.user, case)
    )
    authorize(
        request,
        allowed,
        action="partners.coordinate" if write else "partners.view",
        obj=case,
        case_id=case.pk,
    )
    return case


def _participation(request: HttpRequest, pk: int) -> Participation:
    participation = get_object_or_404(
        permissions.participations_visible_to(request.user).select_related(
            "case__agency", "parent", "mentor"
        ),
        pk=pk,
    )
    _case(request, participation.case_id, write=True)
    return participation


def _case_page(
    request: HttpRequest, case: FamilyCase, *, status: int = 200, refer: Any = None
) -> HttpResponse:
    parents = selectors.case_parents(case)
    context = {
        "case": case,
        "participations": selectors.case_participations(case),
        "today": clock.today(),
        "can_coordinate": permissions.can_coordinate(request.user, case),
        "refer_form": refer or ReferForm(parents=parents),
        "consent_form": ConsentForm(),
        "close_form": CloseForm(),
    }
    return render(request, "partners/case_partners.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def case_partners(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, _case(request, pk, write=False))


@login_required
@require_http_methods(["POST"])
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, write=True)
    form = ReferForm(request.POST, parents=selectors.case_parents(case))
    if form.is_valid():
        data = dict(form.cleaned_data)
        parent = next(p for p in selectors.case_parents(case) if p.pk == data.pop("parent"))
        try:
            services.participation_refer(actor=request.user, case=case, parent=parent, **data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Parent referred to a parent partner."))
            return redirect("partners:case-partners", pk=case.pk)
    return _case_page(request, case, status=400, refer=form)


def _after(request: HttpRequest, participation: Participation, done: str) -> HttpResponse:
    messages.success(request, done)
    return redirect("partners:case-partners", pk=participation.case_id)


def _refused(request: HttpRequest, participation: Participation, error: Any) -> HttpResponse:
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    messages.error(request, text or _("Nothing was changed."))
    return _case_page(request, participation.case, status=400)


def _simple_step(request: HttpRequest, pk: int, service: Any, done: str) -> HttpResponse:
    participation = _participation(request, pk)
    if not ConfirmForm(request.POST).is_valid():
        return _refused(request, participation, _("Nothing was changed."))
    try:
        service(actor=request.user, participation=participation)
    except ValidationError as error:
        return _refused(request, participation, error)
    return _after(request, participation, done)


@login_required
@require_http_methods(["POST"])
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_step(request, pk, services.participation_offer, _("Mentor offered."))


@login_required
@require_http_methods(["POST"])
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_step(request, pk, services.participation_accept, _("The parent accepted."))


@login_required
@require_http_methods(["POST"])
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_step(request, pk, services.participation_decline, _("The parent declined."))


@login_required
@require_http_methods(["POST"])
def consent_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_step(request, pk, services.consent_revoke, _("Consent revoked."))


@login_required
@require_http_methods(["POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    participation = _participation(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _refused(request, participation, _("Say why it closes."))
    try:
        services.participation_close(
            actor=request.user, participation=participation, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        return _refused(request, participation, error)
    return _after(request, participation, _("Participation closed."))


@login_required
@require_http_methods(["POST"])
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    participation = _participation(request, pk)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _refused(request, participation, _("Enter both dates of the consent."))
    try:
        services.consent_record(
            actor=request.user, participation=participation, **form.cleaned_data
        )
    except ValidationError as error:
        return _refused(request, participation, error)
    return _after(request, participation, _("Consent recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def match(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranked mentors with the reasons; the coordinator confirms one."""
    participation = _participation(request, pk)
    status = 200
    if request.method == "POST":
        form = MatchForm(request.POST)
        mentor = None
        if form.is_valid():
            mentor = Mentor.objects.filter(
                agency_id=participation.case.agency_id, pk=form.cleaned_data["mentor"]
            ).first()
        if mentor is None:
            messages.error(request, _("Choose a mentor from the list."))
            status = 400
        else:
            try:
                services.participation_match(
                    actor=request.user, participation=participation, mentor=mentor
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                status = 400
            else:
                return _after(request, participation, _("Match confirmed."))
    context = {
        "participation": participation,
        "case": participation.case,
        "candidates": selectors.candidates(participation)
        if participation.status == Status.ACCEPTED
        else [],
        "consent": selectors.consent_in_force(participation),
    }
    return render(request, "partners/match.html", context, status=status)
