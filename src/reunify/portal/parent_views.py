"""The birth-parent and youth pages of the portal (the road home, family time, court dates, tasks
and services, the case plan, shared documents, the calendar feed) and the worker's page to share a
document. Every family page asks `permissions.sections` for its section on every request and
answers 404 when it is not allowed, so a change of standing takes effect at once (AZ-6)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.case_plans import pdf as plan_pdf
from reunify.cases.models import FamilyCase
from reunify.cases.permissions import cases_visible_to
from reunify.core import clock
from reunify.core.forms_errors import apply_errors
from reunify.core.views import authorize
from reunify.family_time import calendar_feeds
from reunify.portal import access, documents, parent_selectors, parent_services, permissions
from reunify.portal.models import Invitation, Kind, PortalAccount, PortalFeedToken, SharedDocument
from reunify.portal.parent_forms import DocumentShareForm, SessionAnswerForm

FAMILY_KINDS = (Kind.PARENT, Kind.YOUTH)
NO_STORE = "private, no-store"


@dataclass
class Page:
    account: PortalAccount
    case: FamilyCase
    sections: frozenset[str]


def _page(
    request: HttpRequest, pk: int, section: str, *, kinds: tuple[str, ...] = FAMILY_KINDS
) -> Page:
    """The case and what the account may see of it, or 404: not a parent or youth account, not
    its case, or the section not allowed by its standing now."""
    account = permissions.account_of(request.user)
    if account is None or account.kind not in kinds:
        raise Http404
    case = FamilyCase.objects.select_related("agency").filter(pk=pk).first()
    if case is None:
        raise Http404
    child = account.person if account.kind == Kind.YOUTH else None
    allowed = permissions.sections(request.user, case, child)
    if section not in allowed:
        raise Http404
    return Page(account, case, allowed)


def _context(page: Page, **extra: object) -> dict[str, object]:
    return {
        "account": page.account,
        "case": page.case,
        "sections": page.sections,
        "tz": clock.agency_zone(),
        **extra,
    }


@login_required
@require_http_methods(["GET"])
def road_home(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page(request, pk, access.ROAD_HOME)
    data = parent_selectors.road_home(
        user=request.user, account=page.account, case=page.case, allowed=page.sections
    )
    return render(request, "portal/parent/road_home.html", _context(page, road=data))


@login_required
@require_http_methods(["GET"])
def family_time(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page(request, pk, access.FAMILY_TIME)
    sessions = parent_selectors.sessions_for(
        user=request.user, account=page.account, case=page.case
    )
    return render(
        request,
        "portal/parent/family_time.html",
        _context(page, sessions=sessions, form=SessionAnswerForm()),
    )


@login_required
@require_http_methods(["POST"])
def session_answer(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    page = _page(request, pk, access.FAMILY_TIME, kinds=(Kind.PARENT,))
    session = parent_selectors.session_for(
        user=request.user, account=page.account, case=page.case, pk=session_pk
    )
    if session is None:
        raise Http404
    form = SessionAnswerForm(request.POST)
    if form.is_valid():
        try:
            parent_services.session_answer(
                actor=request.user,
                account=page.account,
                session=session,
                answer=form.cleaned_data["answer"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Thank you. Your worker will see your answer."))
            return redirect("portal:family-time", pk=page.case.pk)
    sessions = parent_selectors.sessions_for(
        user=request.user, account=page.account, case=page.case
    )
    return render(
        request,
        "portal/parent/family_time.html",
        _context(
            page, sessions=sessions, form=SessionAnswerForm(), failed=form, failed_pk=session.pk
        ),
        status=400,
    )


@login_required
@require_http_methods(["GET"])
def court_dates(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page(request, pk, access.COURT_DATES)
    hearings = parent_selectors.hearings_for(page.case)
    return render(request, "portal/parent/court_dates.html", _context(page, hearings=hearings))


@login_required
@require_http_methods(["GET"])
def tasks(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page(request, pk, access.TASKS, kinds=(Kind.PARENT,))
    data = parent_selectors.tasks_for(page.account, page.case)
    return render(request, "portal/parent/tasks.html", _context(page, data=data))


def _plan_language(request: HttpRequest, account: PortalAccount) -> str:
    """The language asked for, else the one the account was invited in, else the page's."""
    asked = request.GET.get("lang", "")
    if asked in plan_pdf.LANGUAGES:
        return asked
    invited = Invitation.objects.filter(account=account).values_list("language", flat=True).first()
    return invited or (get_language() or "en")[:2]


@login_required
@require_http_methods(["GET"])
def case_plan(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page(request, pk, access.CASE_PLAN, kinds=(Kind.PARENT,))
    in_force = parent_selectors.plan_in_force(page.case, clock.today())
    return render(
        request,
        "portal/parent/case_plan.html",
        _context(page, in_force=in_force.in_force if in_force else None),
    )


@login_required
@require_http_methods(["GET"])
def case_plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The family's printed version of the plan in force (never a draft), in the account's
    language; streamed, never stored."""
    page = _page(request, pk, access.CASE_PLAN, kinds=(Kind.PARENT,))
    today = clock.today()
    in_force = parent_selectors.plan_in_force(page.case, today)
    if in_force is None or in_force.in_force is None:
        raise Http404
    body = plan_pdf.plan_pdf(
        case=page.case,
        today=today,
        language=_plan_language(request, page.account),
        number=in_force.in_force.number,
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="case-plan-{in_force.in_force.number}.pdf"'
    response["Cache-Control"] = NO_STORE
    return response


@login_required
@require_http_methods(["GET"])
def documents_list(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page(request, pk, access.DOCUMENTS, kinds=(Kind.PARENT,))
    found = documents.documents_for(page.account, page.case)
    return render(request, "portal/parent/documents.html", _context(page, documents=found))


@login_required
@require_http_methods(["GET"])
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """The file itself, only to the account it was shared with, while the policy allows its
    documents and the worker has not withdrawn it (AZ-11)."""
    page = _page(request, pk, access.DOCUMENTS, kinds=(Kind.PARENT,))
    document = get_object_or_404(
        SharedDocument.objects.filter(
            account=page.account, case=page.case, revoked_at__isnull=True
        ),
        pk=document_pk,
    )
    documents.document_read(actor=request.user, document=document)
    extension = document.file.name.rsplit(".", 1)[-1] if "." in document.file.name else "bin"
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"document-{document.pk}.{extension}",
        content_type=document.content_type,
    )
    response["Cache-Control"] = NO_STORE
    return response


# ---- the calendar feed -----------------------------------------------------------------------


def _family_account(request: HttpRequest) -> PortalAccount:
    account = permissions.account_of(request.user)
    if account is None or account.kind not in FAMILY_KINDS:
        raise Http404
    return account


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    account = _family_account(request)
    if request.method == "POST":
        parent_services.feed_create(actor=request.user, account=account)
        messages.success(request, _("Calendar address made. Copy it into your calendar app."))
        return redirect("portal:calendar")
    tokens = PortalFeedToken.objects.filter(account=account, revoked_at__isnull=True)
    feeds = [
        (t, request.build_absolute_uri(reverse("portal:calendar-feed", args=[t.token])))
        for t in tokens
    ]
    return render(request, "portal/parent/calendar.html", {"account": account, "feeds": feeds})


@login_required
@require_http_methods(["POST"])
def calendar_revoke(request: HttpRequest, token_pk: int) -> HttpResponse:
    account = _family_account(request)
    token = get_object_or_404(PortalFeedToken.objects.filter(account=account), pk=token_pk)
    parent_services.feed_revoke(actor=request.user, account=account, token=token)
    messages.success(request, _("Calendar address stopped; it no longer works."))
    return redirect("portal:calendar")


@require_http_methods(["GET"])
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """For calendar apps: no sign-in, the secret address is the credential; what it shows is
    checked against the policy at this request."""
    found = parent_services.live_feed(token)
    if found is None:
        raise Http404
    events = parent_selectors.feed_events(
        account=found.account, absolute=request.build_absolute_uri
    )
    body = calendar_feeds.calendar(
        events, name=_("Family time and court dates"), generated_at=clock.now()
    )
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = NO_STORE
    return response


# ---- the worker shares a document ------------------------------------------------------------


def _editable_case(request: HttpRequest, pk: int) -> FamilyCase:
    case = get_object_or_404(cases_visible_to(request.user).select_related("agency"), pk=pk)
    authorize(
        request,
        permissions.can_invite(request.user, case),
        action="portal.document_share",
        obj=case,
        case_id=case.pk,
    )
    return case


@login_required
@require_http_methods(["GET", "POST"])
def staff_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """Share a document with a parent's portal account, and see (and withdraw) those shared."""
    case = _editable_case(request, pk)
    accounts = documents.shareable_accounts(case)
    form = DocumentShareForm(request.POST or None, request.FILES or None, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            documents.document_share(
                actor=request.user,
                case=case,
                account=data["account"],
                title=data["title"],
                upload=data["file"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Document shared."))
            return redirect("portal:staff-documents", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    context = {"case": case, "form": form, "documents": documents.case_documents(case)}
    return render(request, "portal/parent/staff_documents.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def staff_document_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(
        SharedDocument.objects.filter(case__in=cases_visible_to(request.user)), pk=pk
    )
    case = _editable_case(request, document.case_id)
    if request.POST.get("confirm") != "yes":  # a bare POST withdraws nothing
        messages.error(request, _("Nothing was withdrawn."))
        return redirect("portal:staff-documents", pk=case.pk)
    try:
        documents.document_revoke(actor=request.user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Document withdrawn; the family no longer sees it."))
    return redirect("portal:staff-documents", pk=case.pk)
