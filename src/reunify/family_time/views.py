"""Family-time pages: parse, authorise, call one service or selector, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.core import audit, clock
from reunify.core.concurrency import StaleEditError
from reunify.core.forms_errors import apply_errors
from reunify.core.models import AuditEvent
from reunify.core.views import authorize
from reunify.court.models import OrderKind
from reunify.family_time import (
    calendar_feeds,
    feed_services,
    permissions,
    schedule,
    selectors,
    services,
)
from reunify.family_time.feed_forms import MINE, FeedCreateForm, FeedRevokeForm
from reunify.family_time.forms import (
    DecideForm,
    LevelNamesForm,
    PlanForm,
    ProposeForm,
    RestrictForm,
    SessionForm,
)
from reunify.family_time.models import (
    CalendarKind,
    CalendarToken,
    ChangeStatus,
    FamilyTimePlan,
    LevelName,
    PlanKind,
)
from reunify.people.models import Person
from reunify.reminders import selectors as reminder_selectors


def _render_form(request: HttpRequest, template: str, context: dict, form) -> HttpResponse:
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, template, context, status=status)


def _to_child(episode_pk: int) -> HttpResponse:
    return redirect("family_time:child", pk=episode_pk)


def _editable_plan(request: HttpRequest, pk: int, action: str) -> FamilyTimePlan:
    plan = get_object_or_404(
        permissions.plans_visible_to(request.user).select_related(
            "episode__case", "episode__child", "court_order"
        ),
        pk=pk,
    )
    authorize(
        request,
        permissions.can_edit_family_time(request.user, plan.episode.case),
        action=action,
        obj=plan,
        case_id=plan.episode.case_id,
    )
    return plan


@login_required
@require_http_methods(["GET"])
def child(request: HttpRequest, pk: int) -> HttpResponse:
    episode = get_object_or_404(
        permissions.episodes_visible_to(request.user).select_related("case", "child"), pk=pk
    )
    case = episode.case
    audit.record(
        actor=request.user,
        action="family_time.viewed",
        kind=AuditEvent.Kind.ACCESS,
        obj=episode,
        case_id=case.pk,
        summary=f"Viewed family time for {episode.child.full_name}",
    )
    page = selectors.child_family_time(episode=episode, now=clock.now(), tz=clock.agency_zone())
    answers = reminder_selectors.responses_for_sessions(s.pk for s in page.upcoming)
    context = {
        "page": page,
        "upcoming": [(s, answers.get(s.pk, [])) for s in page.upcoming],
        "episode": episode,
        "case": case,
        "child": episode.child,
        "can_edit": permissions.can_edit_family_time(request.user, case),
        "can_decide": permissions.can_decide_level(request.user, case),
        "level_names": selectors.level_names(case.agency_id),
        "tz": clock.agency_zone(),
    }
    return render(request, "family_time/child.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    episode = get_object_or_404(
        permissions.episodes_visible_to(request.user).select_related("case", "child"), pk=pk
    )
    case = episode.case
    authorize(
        request,
        permissions.can_edit_family_time(request.user, case),
        action="family_time.plan_create",
        obj=episode,
        case_id=case.pk,
    )
    people = Person.objects.filter(participations__case=case).exclude(pk=episode.child_id)
    orders = case.court_orders.filter(
        Q(child__isnull=True) | Q(child_id=episode.child_id),
        kind=OrderKind.VISITATION_CONDITIONS,
    )
    taken = set(
        episode.family_time_plans.filter(effective_to__isnull=True).values_list("kind", flat=True)
    )
    kinds = [k for k in PlanKind.values if k not in taken] or list(PlanKind.values)
    wanted = request.GET.get("kind", "")
    form = PlanForm(
        request.POST or None,
        initial={
            "effective_from": clock.today(),
            "start_time": "17:00",
            "kind": wanted if wanted in kinds else kinds[0],
        },
        people=people.order_by("last_name", "first_name"),
        orders=orders,
        levels=selectors.level_choices(case.agency_id),
        kinds=kinds,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_create(actor=request.user, episode=episode, **form.service_kwargs())
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Family-time plan created and sessions scheduled."))
            return _to_child(episode.pk)
    context = {"form": form, "episode": episode, "case": case, "child": episode.child}
    return _render_form(request, "family_time/plan_create.html", context, form)


@login_required
@require_http_methods(["GET", "POST"])
def session_record(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        permissions.sessions_visible_to(request.user).select_related(
            "plan__episode__case", "plan__episode__child"
        ),
        pk=pk,
    )
    episode = session.plan.episode
    authorize(
        request,
        permissions.can_edit_family_time(request.user, episode.case),
        action="family_time.session_record",
        obj=session,
        case_id=episode.case_id,
    )
    initial = {
        "version": session.version,
        "actual_minutes": session.plan.duration_minutes,
        "status": "" if session.status == "scheduled" else session.status,
    }
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.session_record(
                actor=request.user,
                session=session,
                expected_version=form.cleaned_data.pop("version"),
                **form.cleaned_data,
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Session recorded."))
            if recorded.safety_incident:
                url = reverse("family_time:level-restrict", args=[session.plan_id])
                return redirect(f"{url}?session={recorded.pk}")
            return _to_child(episode.pk)
    context = {
        "form": form,
        "session": session,
        "episode": episode,
        "case": episode.case,
        "child": episode.child,
        "tz": clock.agency_zone(),
    }
    return _render_form(request, "family_time/session_record.html", context, form)


@login_required
@require_http_methods(["GET", "POST"])
def level_propose(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk, "family_time.level_propose")
    form = ProposeForm(
        request.POST or None,
        initial={"version": plan.version},
        levels=selectors.level_choices(plan.episode.case.agency_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            change = services.level_propose(
                actor=request.user,
                plan=plan,
                expected_version=form.cleaned_data["version"],
                to_level=form.cleaned_data["to_level"],
                reason=form.cleaned_data["reason"],
                evidence=form.cleaned_data["evidence"],
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            if change.status == ChangeStatus.PROPOSED:
                messages.success(request, _("Change proposed; it waits for the supervisor."))
            else:
                messages.success(request, _("Level changed."))
            return _to_child(plan.episode_id)
    return _level_page(request, plan, form, "family_time/level_propose.html")


def _level_page(request, plan, form, template, **extra) -> HttpResponse:
    episode = plan.episode
    context = {
        "form": form,
        "plan": plan,
        "episode": episode,
        "case": episode.case,
        "child": episode.child,
        "level_names": selectors.level_names(episode.case.agency_id),
        **extra,
    }
    return _render_form(request, template, context, form)


@login_required
@require_http_methods(["GET", "POST"])
def level_decide(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        permissions.plans_visible_to(request.user).select_related(
            "episode__case", "episode__child", "court_order"
        ),
        pk=pk,
    )
    authorize(
        request,
        permissions.can_decide_level(request.user, plan.episode.case),
        action="family_time.level_decide",
        obj=plan,
        case_id=plan.episode.case_id,
    )
    change = plan.changes.filter(status=ChangeStatus.PROPOSED).select_related("proposed_by").first()
    if change is None:
        messages.info(request, _("No change of level is waiting for a decision."))
        return _to_child(plan.episode_id)
    form = DecideForm(request.POST or None, initial={"version": plan.version})
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            (services.level_approve if approve else services.level_reject)(
                actor=request.user,
                change=change,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Change approved.") if approve else _("Change rejected."))
            return _to_child(plan.episode_id)
    return _level_page(request, plan, form, "family_time/level_decide.html", change=change)


@login_required
@require_http_methods(["GET", "POST"])
def level_restrict(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk, "family_time.level_restrict")
    session_pk = request.GET.get("session", "")
    session = plan.sessions.filter(pk=int(session_pk)).first() if session_pk.isdigit() else None
    form = RestrictForm(
        request.POST or None,
        initial={"version": plan.version},
        current=plan.level,
        levels=selectors.level_choices(plan.episode.case.agency_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.level_restrict(
                actor=request.user,
                plan=plan,
                expected_version=form.cleaned_data["version"],
                to_level=form.cleaned_data["to_level"],
                reason=form.cleaned_data["reason"],
                session=session,
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Family time restricted."))
            return _to_child(plan.episode_id)
    return _level_page(request, plan, form, "family_time/level_restrict.html", session=session)


@login_required
@require_http_methods(["GET", "POST"])
def level_names(request: HttpRequest) -> HttpResponse:
    authorize(request, permissions.can_name_levels(request.user), action="family_time.level_names")
    agency_id = request.user.agency_id
    initial = {}
    for row in LevelName.objects.filter(agency_id=agency_id):
        initial[f"{row.level}-name_en"] = row.name_en
        initial[f"{row.level}-name_es"] = row.name_es
    form = LevelNamesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.level_names_set(actor=request.user, names=form.names())
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("The family-time level names are saved."))
            return redirect("accounts:staff-list")
    return _render_form(request, "family_time/level_names.html", {"form": form}, form)


# ---- the worker's week and calendar feeds ------------------------------------------------------


def _parse_monday(value: str) -> dt.date:
    """The Monday of the week asked for; this week when the date is missing or out of range."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        day = clock.today()
    if not dt.MINYEAR < day.year < dt.MAXYEAR:
        day = clock.today()
    return schedule.monday_of(day)


@login_required
@require_http_methods(["GET"])
def week(request: HttpRequest) -> HttpResponse:
    tz = clock.agency_zone()
    page = schedule.week_of(
        user=request.user, start=_parse_monday(request.GET.get("start", "")), tz=tz
    )
    context = {"week": page, "today": clock.today(), "tz": tz}
    return render(request, "family_time/week.html", context)


def _feed_url(request: HttpRequest, token: CalendarToken) -> str:
    return request.build_absolute_uri(reverse("family_time:feed", args=[token.token]))


@login_required
@require_http_methods(["GET", "POST"])
def feeds(request: HttpRequest) -> HttpResponse:
    episodes = (
        permissions.episodes_visible_to(request.user)
        .filter(discharged_on__isnull=True)
        .select_related("child", "case")
        .order_by("child__last_name", "child__first_name", "pk")
    )
    form = FeedCreateForm(request.POST or None, episodes=episodes)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["calendar"]
        episode = None if choice == MINE else get_object_or_404(episodes, pk=int(choice))
        try:
            feed_services.token_create(actor=request.user, episode=episode)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Calendar feed created. Copy its address into your app."))
            return redirect("family_time:feeds")
    tokens = (
        CalendarToken.objects.filter(user=request.user, revoked_at__isnull=True)
        .select_related("episode__child", "episode__case")
        .order_by("-created_at", "-id")
    )
    context = {
        "form": form,
        "tokens": [(token, _feed_url(request, token)) for token in tokens],
    }
    return _render_form(request, "family_time/feeds.html", context, form)


@login_required
@require_http_methods(["POST"])
def feed_revoke(request: HttpRequest) -> HttpResponse:
    form = FeedRevokeForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a calendar feed to revoke."))
    token = get_object_or_404(
        CalendarToken, pk=form.cleaned_data["token"], user=request.user, revoked_at__isnull=True
    )
    feed_services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Calendar feed revoked; its address no longer works."))
    return redirect("family_time:feeds")


@require_http_methods(["GET"])
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar itself, for calendar apps: no sign-in, the secret address is the credential.
    Unknown, revoked, or no longer allowed: 404, the same for each."""
    found = feed_services.live_token(token)
    if found is None:
        raise Http404
    now = clock.now()
    if found.kind == CalendarKind.CHILD:
        episode = found.episode
        events = schedule.child_feed(episode=episode, now=now, absolute=request.build_absolute_uri)
        name = _("Family time: %(child)s") % {"child": schedule.child_label(episode.child)}
    else:
        events = schedule.worker_feed(
            user=found.user, now=now, tz=clock.agency_zone(), absolute=request.build_absolute_uri
        )
        name = _("Reunify: my schedule")
    body = calendar_feeds.calendar(events, name=name, generated_at=now)
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="reunify.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
