"""The resource family's pages (a child placed with it now: family time, court dates, needs to
support, caseworker contact; its name in the journal), the shared-parenting journal of a child
for both families, and the worker's moderation of it. Every family page asks
`permissions.sections` for the child on every request and answers 404 when the section is not
allowed, so a placement ended, a no-contact order or a closed case takes effect at once (AZ-6);
photos are streamed only after the same check (AZ-11)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.cases.permissions import cases_visible_to
from reunify.core import clock
from reunify.core.forms_errors import apply_errors
from reunify.core.views import authorize
from reunify.people.models import Person
from reunify.portal import access, journal, parent_selectors, permissions, resource_selectors
from reunify.portal.journal_forms import EntryForm, HideForm, IdentityForm
from reunify.portal.models import JournalEntry, Kind, PortalAccount

NO_STORE = "private, no-store"
JOURNAL_KINDS = (Kind.PARENT, Kind.RESOURCE_PARENT)


@dataclass
class ChildPage:
    account: PortalAccount
    case: FamilyCase
    child: Person
    sections: frozenset[str]


def _child_page(
    request: HttpRequest, pk: int, child_pk: int, section: str, kinds: tuple[str, ...]
) -> ChildPage:
    """The case, the child and what the account may see of the child, or 404: not an account of
    `kinds`, not a child of the case, or the section not allowed by its standing now."""
    account = permissions.account_of(request.user)
    if account is None or account.kind not in kinds:
        raise Http404
    case = FamilyCase.objects.select_related("agency", "worker").filter(pk=pk).first()
    if case is None:
        raise Http404
    participant = (
        case.participants.select_related("person")
        .filter(person_id=child_pk, role=ParticipantRole.CHILD)
        .first()
    )
    if participant is None:
        raise Http404
    allowed = permissions.sections(request.user, case, participant.person)
    if section not in allowed:
        raise Http404
    return ChildPage(account, case, participant.person, allowed)


def _context(page: ChildPage, **extra: object) -> dict[str, object]:
    return {
        "account": page.account,
        "case": page.case,
        "child": page.child,
        "sections": page.sections,
        "tz": clock.agency_zone(),
        **extra,
    }


# ---- the resource family's page about a child ------------------------------------------------


@login_required
@require_http_methods(["GET"])
def resource_child(request: HttpRequest, pk: int, child_pk: int) -> HttpResponse:
    page = _child_page(request, pk, child_pk, access.CHILD_NEEDS, (Kind.RESOURCE_PARENT,))
    data = resource_selectors.child_page(case=page.case, child=page.child, allowed=page.sections)
    return render(request, "portal/resource/child.html", _context(page, data=data))


@login_required
@require_http_methods(["GET", "POST"])
def journal_identity(request: HttpRequest) -> HttpResponse:
    """The resource family's name in the journal, and whether the parents read its surname."""
    account = permissions.account_of(request.user)
    if account is None or account.kind != Kind.RESOURCE_PARENT:
        raise Http404
    identity = journal.identity_of(account)
    form = IdentityForm(
        request.POST or None,
        initial={"display_name": identity.display_name, "share_surname": identity.share_surname},
    )
    if request.method == "POST" and form.is_valid():
        try:
            journal.identity_update(
                actor=request.user,
                account=account,
                display_name=form.cleaned_data["display_name"],
                share_surname=form.cleaned_data["share_surname"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Saved. The parents will see this name."))
            return redirect("portal:journal-identity")
    status = 400 if request.method == "POST" else 200
    context = {"account": account, "form": form, "label": journal.resource_label(account, identity)}
    return render(request, "portal/journal/identity.html", context, status=status)


# ---- the journal -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def journal_children(request: HttpRequest, pk: int) -> HttpResponse:
    """A parent's way in: the children whose journal the parent may open (one: straight in)."""
    account = permissions.account_of(request.user)
    if account is None or account.kind != Kind.PARENT:
        raise Http404
    case = FamilyCase.objects.select_related("agency").filter(pk=pk).first()
    if case is None or access.JOURNAL not in permissions.sections(request.user, case):
        raise Http404
    kids = parent_selectors.allowed_children(request.user, account, case, access.JOURNAL)
    if not kids:
        raise Http404
    if len(kids) == 1:
        return redirect("portal:journal", pk=case.pk, child_pk=kids[0].pk)
    return render(
        request,
        "portal/journal/children.html",
        {"account": account, "case": case, "children": kids},
    )


def _journal_response(
    request: HttpRequest, page: ChildPage, form: EntryForm, status: int = 200
) -> HttpResponse:
    entries = journal.entry_lines(
        page.account, journal.visible_entries(page.account, page.case, page.child)
    )
    return render(
        request,
        "portal/journal/journal.html",
        _context(page, entries=entries, form=form),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def journal_page(request: HttpRequest, pk: int, child_pk: int) -> HttpResponse:
    page = _child_page(request, pk, child_pk, access.JOURNAL, JOURNAL_KINDS)
    if request.method == "GET":
        return _journal_response(request, page, EntryForm())
    form = EntryForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            journal.entry_post(
                actor=request.user,
                account=page.account,
                case=page.case,
                child=page.child,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
                photo=form.cleaned_data["photo"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Shared in the journal."))
            return redirect("portal:journal", pk=page.case.pk, child_pk=page.child.pk)
    return _journal_response(request, page, form, status=400)


def _photo_response(entry: JournalEntry) -> FileResponse:
    extension = entry.photo.name.rsplit(".", 1)[-1] if "." in entry.photo.name else "bin"
    response = FileResponse(
        entry.photo.open("rb"),
        as_attachment=False,
        filename=f"photo-{entry.pk}.{extension}",
        content_type=entry.photo_content_type,
    )
    response["Cache-Control"] = NO_STORE
    return response


@login_required
@require_http_methods(["GET"])
def journal_photo(request: HttpRequest, pk: int, child_pk: int, entry_pk: int) -> FileResponse:
    """A journal photo, to an account that reads the entry now (AZ-11)."""
    page = _child_page(request, pk, child_pk, access.JOURNAL, JOURNAL_KINDS)
    entry = get_object_or_404(
        journal.visible_entries(page.account, page.case, page.child).exclude(photo=""),
        pk=entry_pk,
    )
    journal.photo_read(actor=request.user, entry=entry)
    return _photo_response(entry)


# ---- the worker moderates --------------------------------------------------------------------


def _editable_case(request: HttpRequest, pk: int) -> FamilyCase:
    case = get_object_or_404(cases_visible_to(request.user).select_related("agency"), pk=pk)
    authorize(
        request,
        permissions.can_invite(request.user, case),
        action="portal.journal_moderate",
        obj=case,
        case_id=case.pk,
    )
    return case


def _staff_entry(request: HttpRequest, pk: int) -> tuple[JournalEntry, FamilyCase]:
    entry = get_object_or_404(
        JournalEntry.objects.filter(case__in=cases_visible_to(request.user)), pk=pk
    )
    return entry, _editable_case(request, entry.case_id)


@login_required
@require_http_methods(["GET"])
def staff_journal(request: HttpRequest, pk: int) -> HttpResponse:
    """Every entry of the case's journals, hidden ones too, with a way to hide an entry."""
    case = _editable_case(request, pk)
    context = {"case": case, "entries": journal.case_entries(case), "form": HideForm()}
    return render(request, "portal/journal/staff.html", context)


@login_required
@require_http_methods(["POST"])
def staff_journal_hide(request: HttpRequest, pk: int) -> HttpResponse:
    entry, case = _staff_entry(request, pk)
    form = HideForm(request.POST)
    if form.is_valid():
        try:
            journal.entry_hide(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Entry hidden; neither family sees it now."))
            return redirect("portal:staff-journal", pk=case.pk)
    context = {
        "case": case,
        "entries": journal.case_entries(case),
        "form": HideForm(),
        "failed": form,
        "failed_pk": entry.pk,
    }
    return render(request, "portal/journal/staff.html", context, status=400)


@login_required
@require_http_methods(["GET"])
def staff_journal_photo(request: HttpRequest, pk: int) -> HttpResponse:
    entry, _case = _staff_entry(request, pk)
    if not entry.photo:
        raise Http404
    journal.photo_read(actor=request.user, entry=entry)
    with entry.photo.open("rb") as photo:
        response = HttpResponse(photo.read(), content_type=entry.photo_content_type)
    response["Content-Disposition"] = f'inline; filename="photo-{entry.pk}"'
    response["Cache-Control"] = NO_STORE
    return response
