"""Referral pages: the worker's (a case's referrals, writing one, one referral with its timeline
and a page per step) and the provider's page behind the secret link. Parse, authorise, call one
service or selector, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from reunify.accounts.models import Role
from reunify.case_plans.models import FamilyPlan, VersionStatus
from reunify.cases.models import CaseParticipant, FamilyCase, ParticipantRole
from reunify.core import audit, clock
from reunify.core.concurrency import StaleEditError
from reunify.core.forms_errors import apply_errors
from reunify.core.models import AuditEvent
from reunify.core.views import authorize
from reunify.referrals import permissions, rules, selectors, services, sharing
from reunify.referrals.forms import (
    AttendanceForm,
    BarrierForm,
    BarrierResolveForm,
    ConsentForm,
    PeriodForm,
    ProviderStepForm,
    ReferralForm,
    RevokeForm,
    SendForm,
    ServiceSearchForm,
    StepForm,
)
from reunify.referrals.models import Barrier, Consent, Referral
from reunify.services import permissions as service_permissions
from reunify.services import selectors as service_selectors

STEP_TITLES = {
    rules.ACCEPT: gettext_lazy("Record that the provider accepted"),
    rules.DECLINE: gettext_lazy("Record that the provider declined"),
    rules.START: gettext_lazy("Record that the service started"),
    rules.COMPLETE: gettext_lazy("Record that the service was completed"),
    rules.NOT_COMPLETE: gettext_lazy("Record that the service was not completed"),
    rules.WITHDRAW: gettext_lazy("Withdraw the referral"),
}
STEP_URLS = {
    rules.ACCEPT: "referrals:accept",
    rules.DECLINE: "referrals:decline",
    rules.START: "referrals:start",
    rules.COMPLETE: "referrals:complete",
    rules.NOT_COMPLETE: "referrals:not-complete",
    rules.WITHDRAW: "referrals:withdraw",
}
SUMMARY_DAYS = 90


def _case(request: HttpRequest, pk: Any, *, edit: bool, action: str) -> FamilyCase:
    case = get_object_or_404(permissions.case_permissions.cases_visible_to(request.user), pk=pk)
    allowed = (permissions.can_manage_referrals if edit else permissions.can_view_referrals)(
        request.user, case
    )
    authorize(request, allowed, action=action, obj=case, case_id=case.pk)
    return case


def _referral(request: HttpRequest, pk: int, *, edit: bool, action: str) -> Referral:
    referral = get_object_or_404(
        permissions.referrals_visible_to(request.user).select_related(
            "case__agency", "person", "service__organization", "created_by", "plan"
        ),
        pk=pk,
    )
    allowed = (permissions.can_manage_referrals if edit else permissions.can_view_referrals)(
        request.user, referral.case
    )
    authorize(request, allowed, action=action, obj=referral, case_id=referral.case_id)
    return referral


def _plan_goals(case: FamilyCase) -> list[tuple[str, str]]:
    plan = FamilyPlan.objects.filter(case=case).first()
    if plan is None:
        return []
    version = plan.versions.exclude(status=VersionStatus.SUPERSEDED).order_by("-number").first()
    goals = (version.document if version else {}).get("goals", [])
    return [(g["key"], g.get("change", "")[:120]) for g in goals if g.get("key")]


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    case: FamilyCase,
    referral: Referral | None,
    heading: str,
    submit: str,
    intro: str = "",
) -> HttpResponse:
    status = 400 if request.method == "POST" and form.errors else 200
    context = {
        "form": form,
        "case": case,
        "referral": referral,
        "heading": heading,
        "submit": submit,
        "intro": intro,
    }
    return render(request, "referrals/form.html", context, status=status)


def _done(request: HttpRequest, form: Any, call: Any, success: str) -> bool:
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


# ---- a case's referrals and writing one ----------------------------------------------------


@login_required
@require_http_methods(["GET"])
def case_referrals(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, edit=False, action="referrals.list")
    audit.record(
        actor=request.user,
        action="referrals.viewed",
        kind=AuditEvent.Kind.ACCESS,
        obj=case,
        case_id=case.pk,
        summary=f"Viewed the referrals of case {case.number}",
    )
    context = {
        "case": case,
        "referrals": selectors.referrals_for_case(case),
        "can_manage": permissions.can_manage_referrals(request.user, case),
    }
    return render(request, "referrals/case_referrals.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    """Write a referral for a case (?case=): first choose a service (search the directory here,
    or come from the directory with ?service=), then who is referred, why and for which goal."""
    case_pk = request.GET.get("case", "")
    if not case_pk.isdigit():
        raise Http404
    case = _case(request, int(case_pk), edit=True, action="referrals.create")
    goal = request.GET.get("goal", "")
    service = None
    service_pk = request.GET.get("service", "")
    if service_pk.isdigit():
        service = (
            service_permissions.services_visible_to(request.user).filter(pk=service_pk).first()
        )
        if service is None:
            raise Http404
    if service is None:
        search = ServiceSearchForm(request.GET if "q" in request.GET else None)
        results = None
        if search.is_bound and search.is_valid():
            results = service_selectors.service_search(
                request.user.agency, text=search.cleaned_data["q"], page=request.GET.get("page", 1)
            )
        context = {"case": case, "search": search, "results": results, "goal": goal}
        return render(request, "referrals/choose_service.html", context)
    form = ReferralForm(
        request.POST or None,
        initial={"goal_key": goal},
        people=services.referral_people(case),
        goals=_plan_goals(case),
    )
    created: list[Referral] = []

    def call() -> None:
        data = form.cleaned_data
        person = next(p for p in services.referral_people(case) if p.pk == data["person"])
        created.append(
            services.referral_create(
                actor=request.user,
                case=case,
                person=person,
                service=service,
                reason=data["reason"],
                goal_key=data["goal_key"],
            )
        )

    if _done(
        request, form, call, _("Referral written. Record the parent's consent, then send it.")
    ):
        return redirect("referrals:referral-detail", pk=created[0].pk)
    status = 400 if request.method == "POST" and form.errors else 200
    context = {"case": case, "service": service, "form": form, "goal": goal}
    return render(request, "referrals/referral_new.html", context, status=status)


# ---- one referral ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk, edit=False, action="referrals.view")
    audit.record(
        actor=request.user,
        action="referrals.viewed",
        kind=AuditEvent.Kind.ACCESS,
        obj=referral,
        case_id=referral.case_id,
        summary=f"Viewed referral {referral.pk}",
    )
    can_manage = permissions.can_manage_referrals(request.user, referral.case)
    steps = rules.actions_from(referral.status, by=rules.WORKER) if can_manage else ()
    context = {
        "referral": referral,
        "case": referral.case,
        "page": selectors.referral_page(referral),
        "can_manage": can_manage,
        "steps": [(STEP_URLS[s], STEP_TITLES[s]) for s in steps if s != rules.SEND],
        "can_send": can_manage and referral.status in (rules.DRAFT, rules.SENT),
        "facts": sharing.shared_facts(referral),
        "barrier_form": BarrierForm(),
        "goal_text": sharing.goal_text(referral),
        "overdue": rules.is_overdue(
            status=referral.status,
            sent_on=referral.sent_at.astimezone(clock.agency_zone()).date()
            if referral.sent_at
            else None,
            today=clock.today(),
            days=settings.REUNIFY_REFERRAL_RESPONSE_DAYS,
        ),
    }
    return render(request, "referrals/referral_detail.html", context)


def _parents(referral: Referral) -> list[Any]:
    return [
        p.person
        for p in CaseParticipant.objects.filter(
            case_id=referral.case_id, role=ParticipantRole.PARENT
        ).select_related("person")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk, edit=True, action="referrals.consent")
    parents = _parents(referral)
    initial = {"given_on": clock.today()}
    if referral.person in parents:
        initial["given_by"] = referral.person_id
    form = ConsentForm(request.POST or None, parents=parents, initial=initial)

    def call() -> None:
        data = form.cleaned_data
        services.consent_record(
            actor=request.user,
            referral=referral,
            given_by=next(p for p in parents if p.pk == data["given_by"]),
            fields=data["fields_shared"],
            how=data["how"],
            witness=data["witness"],
            given_on=data["given_on"],
        )

    if _done(request, form, call, _("Consent recorded.")):
        return redirect("referrals:referral-detail", pk=referral.pk)
    return _form_page(
        request,
        form,
        case=referral.case,
        referral=referral,
        heading=_("Record the parent's consent to share"),
        submit=_("Record consent"),
        intro=_(
            "The provider sees only what is ticked here. The parent may revoke consent at any "
            "time; the provider then sees none of it."
        ),
    )


@login_required
@require_http_methods(["POST"])
def consent_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk, edit=True, action="referrals.consent_revoke")
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose the consent to revoke."))
    get_object_or_404(Consent, pk=form.cleaned_data["consent"], referral=referral)
    if not Consent.objects.filter(
        pk=form.cleaned_data["consent"], revoked_at__isnull=True
    ).exists():
        messages.error(request, _(services.NO_CONSENT_TO_REVOKE))  # revoked meanwhile
        return redirect("referrals:referral-detail", pk=referral.pk)
    try:
        services.consent_revoke(
            actor=request.user, referral=referral, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("referrals:referral-detail", pk=referral.pk)
    messages.success(request, _("Consent revoked: the provider no longer sees what it allowed."))
    return redirect("referrals:referral-detail", pk=referral.pk)


@login_required
@require_http_methods(["GET", "POST"])
def send(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk, edit=True, action="referrals.send")
    default_to = referral.service.email or referral.service.organization.email
    form = SendForm(request.POST or None, initial={"to": default_to, "version": referral.version})

    def call() -> None:
        services.referral_send(
            actor=request.user,
            referral=referral,
            expected_version=form.cleaned_data["version"],
            to=form.cleaned_data["to"],
        )

    if _done(request, form, call, _("Referral sent with a secure link for the provider's answer.")):
        return redirect("referrals:referral-detail", pk=referral.pk)
    resend = referral.status == rules.SENT
    return _form_page(
        request,
        form,
        case=referral.case,
        referral=referral,
        heading=_("Send the link again") if resend else _("Send the referral"),
        submit=_("Send"),
        intro=_(
            "The e-mail holds only what the parent agreed to share, and a link that works for "
            "%(days)s days. A new link replaces any earlier one."
        )
        % {"days": settings.REUNIFY_REFERRAL_LINK_DAYS},
    )


def _step_view(action: str):  # type: ignore[no-untyped-def]
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        referral = _referral(request, pk, edit=True, action=f"referrals.{action}")
        form = StepForm(
            request.POST or None,
            initial={"version": referral.version},
            reason_required=action in rules.REASON_REQUIRED,
        )

        def call() -> None:
            services.referral_step(
                actor=request.user,
                referral=referral,
                action=action,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )

        if _done(request, form, call, _("Referral updated.")):
            return redirect("referrals:referral-detail", pk=referral.pk)
        intro = _("The provider's link stops working.") if action == rules.WITHDRAW else ""
        return _form_page(
            request,
            form,
            case=referral.case,
            referral=referral,
            heading=str(STEP_TITLES[action]),
            submit=_("Save"),
            intro=intro,
        )

    view.__name__ = f"step_{action}"
    return view


accept = _step_view(rules.ACCEPT)
decline = _step_view(rules.DECLINE)
start = _step_view(rules.START)
complete = _step_view(rules.COMPLETE)
not_complete = _step_view(rules.NOT_COMPLETE)
withdraw = _step_view(rules.WITHDRAW)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk, edit=True, action="referrals.attendance")
    form = AttendanceForm(request.POST or None, initial={"on": clock.today()})

    def call() -> None:
        services.attendance_record(actor=request.user, referral=referral, **form.service_kwargs())

    if _done(request, form, call, _("Attendance recorded.")):
        return redirect("referrals:referral-detail", pk=referral.pk)
    return _form_page(
        request,
        form,
        case=referral.case,
        referral=referral,
        heading=_("Record attendance"),
        submit=_("Record"),
        intro=_("Attendance shows compliance with the service; it is not a change in behaviour."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def barrier_add(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk, edit=True, action="referrals.barrier")
    form = BarrierForm(request.POST or None)

    def call() -> None:
        services.barrier_add(actor=request.user, referral=referral, **form.cleaned_data)

    if _done(request, form, call, _("Barrier recorded.")):
        return redirect("referrals:referral-detail", pk=referral.pk)
    return _form_page(
        request,
        form,
        case=referral.case,
        referral=referral,
        heading=_("Record a barrier"),
        submit=_("Record"),
        intro=_("What keeps the family from this service?"),
    )


@login_required
@require_http_methods(["POST"])
def barrier_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk, edit=True, action="referrals.barrier_resolve")
    form = BarrierResolveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose the barrier that was resolved."))
    barrier = get_object_or_404(Barrier, pk=form.cleaned_data["barrier"], referral=referral)
    try:
        services.barrier_resolve(actor=request.user, barrier=barrier)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Barrier marked resolved."))
    return redirect("referrals:referral-detail", pk=referral.pk)


# ---- barriers by unit ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def barriers(request: HttpRequest) -> HttpResponse:
    """Barriers by kind and the services families cannot reach: a supervisor's own unit, or the
    agency (or one unit) for its administrator, over a period (default the last 90 days)."""
    authorize(
        request, permissions.can_view_barrier_summary(request.user), action="referrals.barriers"
    )
    units = list(permissions.summary_units(request.user).order_by("name"))
    agency_wide = request.user.role == Role.AGENCY_ADMIN
    today = clock.today()
    data = request.GET if "since" in request.GET else None
    form = PeriodForm(
        data,
        units=[(u.pk, u.name) for u in units],
        agency_wide=agency_wide,
        initial={
            "since": today - dt.timedelta(days=SUMMARY_DAYS),
            "until": today,
            "unit": None if agency_wide else (units[0].pk if units else None),
        },
    )
    since, until = today - dt.timedelta(days=SUMMARY_DAYS), today
    unit = None if agency_wide else (units[0] if units else None)
    if form.is_bound and form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
        chosen = form.cleaned_data["unit"]
        unit = next((u for u in units if u.pk == chosen), None) if chosen else unit
    summary = None
    if not form.errors and (unit is not None or agency_wide):
        summary = selectors.barrier_summary(
            agency=request.user.agency, unit=unit, since=since, until=until
        )
    context = {
        "form": form,
        "summary": summary,
        "unit": unit,
        "since": since,
        "until": until,
    }
    return render(request, "referrals/barriers.html", context, status=400 if form.errors else 200)


# ---- the provider's page -------------------------------------------------------------------


def _denied(request: HttpRequest) -> HttpResponse:
    response = render(request, "referrals/provider_denied.html", status=404)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def provider(request: HttpRequest, token: str) -> HttpResponse:
    """The provider's page for one referral, without signing in: the secret link is the
    credential. It shows only what the parent consented to share and lets the provider answer
    and report. Unknown, expired and revoked links, and links of withdrawn referrals, all get
    the same plain 404 page."""
    link = selectors.provider_link_for(token)
    if link is None:
        known = selectors.provider_link_known(token)
        if known is not None:  # a real link used too late: worth a line in the audit trail
            audit.record(
                actor=None,
                action="denied.referrals.provider",
                kind=AuditEvent.Kind.DENIAL,
                obj=known.referral,
                case_id=known.referral.case_id,
                agency_id=known.referral.case.agency_id,
                summary=f"Refused {services.link_label(known)} of referral {known.referral_id}",
            )
        return _denied(request)
    step_form = ProviderStepForm(request.POST if request.POST.get("form") == "step" else None)
    attendance_form = AttendanceForm(
        request.POST if request.POST.get("form") == "attendance" else None,
        initial={"on": clock.today()},
        prefix="attendance",
    )
    done = ""
    if request.method == "POST":
        form: Any = step_form if step_form.is_bound else attendance_form
        if not form.is_bound:
            return HttpResponseBadRequest(_("Choose what to record."))
        if form.is_valid():
            try:
                if form is step_form:
                    services.provider_step(
                        link=link,
                        action=form.cleaned_data["action"],
                        reason=form.cleaned_data["reason"],
                    )
                else:
                    services.provider_attendance(link=link, **form.service_kwargs())
            except ValidationError as error:
                apply_errors(error, form)
            else:
                done = _("Thank you. The agency can see your update.")
        link = selectors.provider_link_for(token)
        if link is None:
            return _denied(request)
    else:
        audit.record(
            actor=None,
            action="referrals.provider_viewed",
            kind=AuditEvent.Kind.ACCESS,
            obj=link.referral,
            case_id=link.referral.case_id,
            summary=f"Provider opened referral {link.referral_id} through "
            f"{services.link_label(link)}",
        )
    referral = selectors.referral_for_provider(link)
    context = {
        "facts": sharing.shared_facts(referral),
        "steps": rules.actions_from(referral.status, by=rules.PROVIDER),
        "step_form": step_form,
        "attendance_form": attendance_form,
        "can_record_attendance": rules.attendance_refusal(referral.status) is None,
        "attendance": selectors.provider_attendance(link),
        "expires_on": link.expires_at.astimezone(clock.agency_zone()).date(),
        "done": done,
    }
    failed = request.method == "POST" and (step_form.errors or attendance_form.errors)
    response = render(request, "referrals/provider.html", context, status=400 if failed else 200)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"  # no-referrer would make the form post Origin: null
    return response
