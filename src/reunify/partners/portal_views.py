"""The parent partner's own pages, mounted in the portal namespace (portal/urls.py): their
matched parents (the parent-shared field set only, while consent is on file and current), the
contact log and the monthly activity summary; and the one-time link that makes their account.
Anything else answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.core import clock
from reunify.core.forms_errors import apply_errors
from reunify.partners import permissions, selectors, services
from reunify.partners.forms import ContactForm
from reunify.partners.models import Mentor, Participation
from reunify.portal.forms import JoinForm


def _mentor(request: HttpRequest) -> Mentor:
    mentor = permissions.mentor_of(request.user)
    if mentor is None:
        raise Http404
    return mentor


def _parent(request: HttpRequest, pk: int) -> Participation:
    participation = get_object_or_404(
        permissions.participations_for_mentor(request.user).select_related(
            "case__agency", "parent"
        ),
        pk=pk,
    )
    if not permissions.can_see_parent(request.user, participation):
        raise Http404
    return participation


@login_required
@require_http_methods(["GET"])
def partner_home(request: HttpRequest) -> HttpResponse:
    mentor = _mentor(request)
    cards = [
        selectors.parent_card(p)
        for p in permissions.participations_for_mentor(request.user).select_related(
            "case__agency", "parent"
        )
        if permissions.can_see_parent(request.user, p)
    ]
    return render(request, "partners/portal/home.html", {"mentor": mentor, "cards": cards})


def _parent_page(
    request: HttpRequest, participation: Participation, form: ContactForm, status: int = 200
) -> HttpResponse:
    mentor = _mentor(request)
    context = {
        "card": selectors.parent_card(participation),
        "contacts": selectors.mentor_contacts(mentor, participation),
        "form": form,
    }
    return render(request, "partners/portal/parent.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def partner_parent(request: HttpRequest, pk: int) -> HttpResponse:
    _mentor(request)
    participation = _parent(request, pk)
    return _parent_page(request, participation, ContactForm(initial={"on": clock.today()}))


@login_required
@require_http_methods(["POST"])
def partner_contact(request: HttpRequest, pk: int) -> HttpResponse:
    _mentor(request)
    participation = _parent(request, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_log(
                actor=request.user, participation=participation, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Contact logged."))
            return redirect("portal:partner-parent", pk=participation.pk)
    return _parent_page(request, participation, form, status=400)


@login_required
@require_http_methods(["GET"])
def partner_activity(request: HttpRequest) -> HttpResponse:
    mentor = _mentor(request)
    return render(
        request,
        "partners/portal/activity.html",
        {"mentor": mentor, "lines": selectors.monthly_activity(mentor)},
    )


@require_http_methods(["GET", "POST"])
def partner_join(request: HttpRequest, token: str) -> HttpResponse:
    """The mentor's one-time link: choose a user name and password, then the second factor."""
    mentor = services.mentor_for_token(token)
    if mentor is None:
        return render(request, "portal/join_invalid.html", status=404)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.mentor_account_create(
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
    return render(request, "partners/portal/join.html", {"form": form}, status=status)
