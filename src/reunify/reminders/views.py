"""Reminder pages: the worker's page of a child's reminders, and the recipient's answer page.
Parse, authorise, call one service or selector, render."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.cases.models import RemovalEpisode
from reunify.core import audit, clock
from reunify.core.forms_errors import apply_errors
from reunify.core.models import AuditEvent
from reunify.core.views import authorize
from reunify.family_time import permissions as family_time_permissions
from reunify.family_time.models import SessionStatus
from reunify.reminders import compose, permissions, selectors, services
from reunify.reminders.forms import ResponseForm, StopForm, SubscriptionForm
from reunify.reminders.models import Status, Subscription

RECENT = dt.timedelta(days=30)


def _episode(request: HttpRequest, pk: int) -> RemovalEpisode:
    return get_object_or_404(
        family_time_permissions.episodes_visible_to(request.user).select_related("case", "child"),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def episode(request: HttpRequest, pk: int) -> HttpResponse:
    """Who receives the child's family-time reminders, adding one, and the answers."""
    episode = _episode(request, pk)
    case = episode.case
    can_manage = permissions.can_manage_reminders(request.user, case)
    if request.method == "POST":
        authorize(
            request, can_manage, action="reminders.subscription_add", obj=episode, case_id=case.pk
        )
    else:
        audit.record(
            actor=request.user,
            action="reminders.viewed",
            kind=AuditEvent.Kind.ACCESS,
            obj=episode,
            case_id=case.pk,
            summary=f"Viewed family-time reminders for {episode.child.full_name}",
        )
    form = SubscriptionForm(
        request.POST or None, recipients=selectors.recipients_for_episode(episode)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_add(actor=request.user, episode=episode, **form.service_kwargs())
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Consent recorded; reminders will be sent."))
            return redirect("reminders:episode", pk=episode.pk)
    context = {
        "episode": episode,
        "case": case,
        "child": episode.child,
        "form": form,
        "can_manage": can_manage,
        "subscriptions": selectors.subscriptions_for_episode(episode),
        "reminders": selectors.reminders_for_episode(episode, since=clock.now() - RECENT),
        "lead_hours": settings.REUNIFY_REMINDER_LEAD_HOURS,
        "quiet": [dt.time(h) for h in settings.REUNIFY_QUIET_HOURS],
        "tz": clock.agency_zone(),
    }
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "reminders/episode.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def subscription_stop(request: HttpRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    authorize(
        request,
        permissions.can_manage_reminders(request.user, episode.case),
        action="reminders.subscription_stop",
        obj=episode,
        case_id=episode.case_id,
    )
    form = StopForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose the reminders to stop."))
    subscription = get_object_or_404(
        Subscription, pk=form.cleaned_data["subscription"], episode=episode
    )
    try:
        services.subscription_stop(actor=request.user, subscription=subscription)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Reminders stopped."))
    return redirect("reminders:episode", pk=episode.pk)


def _page_language(request: HttpRequest, language: str) -> str:
    """/es/ in the address wins; then a language the visitor chose with the switcher; then the
    reminder's own language."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return (
        translation.get_language_from_path(request.path_info)
        or (chosen if chosen in dict(settings.LANGUAGES) else "")
        or language
    )


@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The recipient's answer to one reminder, without signing in: the secret link is the
    credential, and it shows that one session and nothing else. Unknown links are 404."""
    reminder = selectors.reminder_for_token(token)
    if reminder is None or reminder.status != Status.SENT:
        raise Http404
    language = _page_language(request, reminder.language)
    with translation.override(language):
        form = ResponseForm(request.POST or None)
        answered = False
        if request.method == "POST" and form.is_valid():
            try:
                reminder = services.reminder_respond(
                    reminder=reminder,
                    response=form.cleaned_data["response"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_errors(error, form)
            else:
                answered = True
        session = reminder.session
        context = {
            "reminder": reminder,
            "facts": compose.facts(session),
            "form": form,
            "answered": answered,
            "cancelled": session.status == SessionStatus.CANCELLED,
            "started": session.starts_at <= clock.now(),
        }
        status = 400 if form.errors else 200
        response = render(request, "reminders/respond.html", context, status=status)
    response["Content-Language"] = language
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
