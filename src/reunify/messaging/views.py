"""Message pages. Staff (the `messaging:` namespace): a case's threads, one thread (read, reply,
attach), a new thread, attachments, the unit's response times. Family (mounted in the `portal:`
namespace by portal/urls.py, the only one a family account reaches): my messages, one thread,
reply, a new thread, attachments. Thin: parse, authorise, call one service or selector, render.

Family pages answer 404 to anyone the policy does not let see them (staff included: they have no
family account); attachments are streamed only here, after the policy is asked again."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.accounts import permissions as account_permissions
from reunify.cases.permissions import cases_visible_to
from reunify.clocks.forms import PeriodForm
from reunify.core import clock
from reunify.core.forms_errors import apply_errors
from reunify.core.views import authorize
from reunify.messaging import permissions, selectors, services
from reunify.messaging.forms import MessageForm, ThreadForm
from reunify.messaging.models import Attachment, Thread
from reunify.portal import permissions as portal_permissions
from reunify.portal.models import PortalAccount

# ---- staff -------------------------------------------------------------------------------------


def _staff_thread(request: HttpRequest, pk: int) -> Thread:
    thread = get_object_or_404(
        permissions.threads_visible_to(request.user).select_related(
            "case__agency", "account__user", "account__person"
        ),
        pk=pk,
    )
    authorize(
        request,
        permissions.can_view_thread(request.user, thread),
        action="messaging.thread",
        obj=thread,
        case_id=thread.case_id,
    )
    return thread


def _account_choices(accounts: list[PortalAccount]) -> list[tuple[int, str]]:
    return [
        (a.pk, f"{a.person.full_name if a.person else a.user} ({a.get_kind_display()})")
        for a in accounts
    ]


@login_required
@require_http_methods(["GET"])
def case_threads(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(cases_visible_to(request.user).select_related("agency"), pk=pk)
    authorize(
        request,
        permissions.can_view_case_threads(request.user, case),
        action="messaging.case_threads",
        obj=case,
        case_id=case.pk,
    )
    can_start = permissions.can_start_thread(request.user, case)
    accounts = selectors.message_accounts(case) if can_start else []
    form = ThreadForm(choices=_account_choices(accounts)) if accounts else None
    return render(
        request,
        "messaging/case_threads.html",
        {"case": case, "threads": selectors.case_threads(case), "form": form},
    )


@login_required
@require_http_methods(["POST"])
def thread_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(cases_visible_to(request.user).select_related("agency"), pk=pk)
    authorize(
        request,
        permissions.can_start_thread(request.user, case),
        action="messaging.thread_new",
        obj=case,
        case_id=case.pk,
    )
    accounts = {a.pk: a for a in selectors.message_accounts(case)}
    form = ThreadForm(
        request.POST, request.FILES, choices=_account_choices(list(accounts.values()))
    )
    if form.is_valid():
        try:
            thread = services.thread_start(
                actor=request.user,
                case=case,
                account=accounts[form.cleaned_data["to"]],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                upload=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Message sent."))
            return redirect("messaging:thread", pk=thread.pk)
    context = {"case": case, "threads": selectors.case_threads(case), "form": form}
    return render(request, "messaging/case_threads.html", context, status=400)


def _thread_page(
    request: HttpRequest, thread: Thread, form: MessageForm | None, *, status: int = 200
) -> HttpResponse:
    can_write = permissions.can_write_thread(request.user, thread)
    if can_write and request.method == "GET":
        services.thread_read(reader=request.user, thread=thread)
    context = {
        "thread": thread,
        "case": thread.case,
        "posts": selectors.thread_messages(thread),
        "form": (form or MessageForm()) if can_write else None,
    }
    return render(request, "messaging/thread.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _thread_page(request, _staff_thread(request, pk), None)


@login_required
@require_http_methods(["POST"])
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _staff_thread(request, pk)
    authorize(
        request,
        permissions.can_write_thread(request.user, thread),
        action="messaging.reply",
        obj=thread,
        case_id=thread.case_id,
    )
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_send(
                actor=request.user,
                thread=thread,
                body=form.cleaned_data["body"],
                upload=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Message sent."))
            return redirect("messaging:thread", pk=thread.pk)
    return _thread_page(request, thread, form, status=400)


def _stream(attachment: Attachment) -> HttpResponse:
    """The stored photo (at most a few MB once re-encoded), never cached on the way."""
    with attachment.file.open("rb") as stored:
        data = stored.read()
    response = HttpResponse(data, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(False, attachment.name) or ""
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET"])
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        Attachment.objects.select_related(
            "message__thread__case", "message__thread__account"
        ).filter(message__thread__in=permissions.threads_visible_to(request.user)),
        pk=pk,
    )
    authorize(
        request,
        account_permissions.is_staff_member(request.user)
        and permissions.can_view_attachment(request.user, item),
        action="messaging.attachment",
        obj=item,
        case_id=item.message.thread.case_id,
    )
    return _stream(item)


@login_required
@require_http_methods(["GET"])
def unit_response_times(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(account_permissions.units_visible_to(request.user), pk=pk)
    authorize(
        request,
        permissions.can_view_response_times(request.user, unit),
        action="messaging.unit_response_times",
        obj=unit,
    )
    today = clock.today()
    start, end = today - dt.timedelta(days=90), today
    form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    rows, total = selectors.unit_response_times(unit=unit, start=start, end=end)
    context = {"unit": unit, "form": form, "start": start, "end": end, "rows": rows, "total": total}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "messaging/unit_response_times.html", context, status=status)


# ---- family (portal namespace) -----------------------------------------------------------------


def _family_only(request: HttpRequest) -> None:
    if portal_permissions.account_of(request.user) is None:
        raise Http404


def _family_thread(request: HttpRequest, pk: int) -> Thread:
    _family_only(request)
    thread = get_object_or_404(
        permissions.threads_visible_to(request.user).select_related(
            "case__agency", "account__user"
        ),
        pk=pk,
    )
    if not permissions.can_view_thread(request.user, thread):
        raise Http404
    return thread


def _case_choices(cases: list) -> list[tuple[int, str]]:  # type: ignore[type-arg]
    return [(c.pk, c.agency.name) for c in cases]


def _my_messages(
    request: HttpRequest, form: ThreadForm | None, *, status: int = 200
) -> HttpResponse:
    rows, cases = selectors.family_threads(request.user)
    if form is None and cases:
        form = ThreadForm(choices=_case_choices(cases))
    return render(
        request,
        "messaging/family_threads.html",
        {"rows": rows, "form": form if cases else None},
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def my_messages(request: HttpRequest) -> HttpResponse:
    _family_only(request)
    return _my_messages(request, None)


@login_required
@require_http_methods(["POST"])
def family_thread_new(request: HttpRequest) -> HttpResponse:
    _family_only(request)
    _rows, cases = selectors.family_threads(request.user)
    if not cases:
        raise Http404
    by_pk = {c.pk: c for c in cases}
    form = ThreadForm(request.POST, request.FILES, choices=_case_choices(cases))
    if form.is_valid():
        try:
            thread = services.thread_start(
                actor=request.user,
                case=by_pk[form.cleaned_data["to"]],
                account=portal_permissions.account_of(request.user),  # type: ignore[arg-type]
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                upload=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Message sent. Your worker will answer."))
            return redirect("portal:messages-thread", pk=thread.pk)
    return _my_messages(request, form, status=400)


def _family_page(
    request: HttpRequest, thread: Thread, form: MessageForm | None, *, status: int = 200
) -> HttpResponse:
    if request.method == "GET":
        services.thread_read(reader=request.user, thread=thread)
    context = {
        "thread": thread,
        "posts": selectors.thread_messages(thread),
        "form": form or MessageForm(),
    }
    return render(request, "messaging/family_thread.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def family_thread(request: HttpRequest, pk: int) -> HttpResponse:
    return _family_page(request, _family_thread(request, pk), None)


@login_required
@require_http_methods(["POST"])
def family_reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _family_thread(request, pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_send(
                actor=request.user,
                thread=thread,
                body=form.cleaned_data["body"],
                upload=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Message sent."))
            return redirect("portal:messages-thread", pk=thread.pk)
    return _family_page(request, thread, form, status=400)


@login_required
@require_http_methods(["GET"])
def family_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    _family_only(request)
    item = get_object_or_404(
        Attachment.objects.select_related(
            "message__thread__case", "message__thread__account"
        ).filter(message__thread__in=permissions.threads_visible_to(request.user)),
        pk=pk,
    )
    if not permissions.can_view_attachment(request.user, item):
        raise Http404
    return _stream(item)
