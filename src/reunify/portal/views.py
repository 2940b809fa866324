"""Family portal pages, and the worker's page to invite a family member. Thin: parse,
authorise, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.accounts.models import Role
from reunify.cases.models import FamilyCase, ParticipantRole, ResourceProvider
from reunify.cases.permissions import cases_visible_to
from reunify.core import clock
from reunify.core.forms_errors import apply_errors
from reunify.core.views import authorize
from reunify.people.models import Person
from reunify.portal import permissions, selectors, services
from reunify.portal.forms import InvitationForm, JoinForm
from reunify.portal.models import Invitation


@login_required
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    if request.user.role == Role.PARENT_PARTNER:  # type: ignore[union-attr]
        return redirect("portal:partner-home")  # a mentor's home (reunify.partners)
    account, cases = selectors.home(request.user)
    if account is None:
        raise Http404
    return render(request, "portal/home.html", {"account": account, "cases": cases})


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: no sign-in; the token in the address is the credential."""
    invitation = services.invitation_for(token)
    if invitation is None:
        return render(request, "portal/join_invalid.html", status=404)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("accounts:second-factor-setup")
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request, "portal/join.html", {"form": form, "invitation": invitation}, status=status
    )


def _invitable_case(request: HttpRequest, pk: int) -> FamilyCase:
    case = get_object_or_404(cases_visible_to(request.user).select_related("agency"), pk=pk)
    authorize(
        request,
        permissions.can_invite(request.user, case),
        action="portal.invite",
        obj=case,
        case_id=case.pk,
    )
    return case


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """A worker invites a parent, a youth (14+) or a resource parent of the case."""
    case = _invitable_case(request, pk)
    people = Person.objects.filter(
        participations__case=case,
        participations__role__in=[ParticipantRole.PARENT, ParticipantRole.CHILD],
    ).order_by("last_name", "first_name")
    providers = ResourceProvider.objects.filter(
        placements__episode__case=case, placements__ended_on__isnull=True
    ).distinct()
    form = InvitationForm(
        request.POST or None,
        people=people,
        providers=providers,
        initial={"channel": "email", "language": "en"},
    )
    link = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _invitation, link = services.invitation_send(
                actor=request.user,
                case=case,
                kind=data["kind"],
                channel=data["channel"],
                email=data["email"] or "",
                phone=data["phone"] or "",
                person=data["person"],
                provider=data["provider"],
                language=data["language"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Invitation sent."))
            form = InvitationForm(
                people=people, providers=providers, initial={"channel": "email", "language": "en"}
            )
    context = {
        "case": case,
        "form": form,
        "now": clock.now(),
        "link": link,
        "invitations": selectors.case_invitations(case),
    }
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "portal/invite.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.select_related("case").filter(case__in=cases_visible_to(request.user)),
        pk=pk,
    )
    case = _invitable_case(request, invitation.case_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Nothing was withdrawn."))
        return render(
            request,
            "portal/invite.html",
            {
                "case": case,
                "form": None,
                "now": clock.now(),
                "link": "",
                "invitations": selectors.case_invitations(case),
            },
            status=400,
        )
    try:
        services.invitation_withdraw(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("portal:invite", pk=case.pk)
