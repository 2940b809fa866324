"""Person pages: who someone is, their roles across cases, and their relationships."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.cases import permissions as case_permissions
from reunify.core import audit
from reunify.core.concurrency import StaleEditError
from reunify.core.forms_errors import apply_errors
from reunify.core.models import AuditEvent
from reunify.core.views import authorize
from reunify.people import permissions, selectors, services
from reunify.people.forms import PersonEditForm


@login_required
@require_http_methods(["GET"])
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(
        permissions.persons_visible_to(request.user).select_related("address"), pk=pk
    )
    audit.record(
        actor=request.user,
        action="person.viewed",
        kind=AuditEvent.Kind.ACCESS,
        obj=person,
        summary=f"Viewed {person.full_name}",
    )
    detail = selectors.person_detail(
        person=person, visible_cases=case_permissions.cases_visible_to(request.user)
    )
    context = {
        "detail": detail,
        "person": person,
        "can_edit": permissions.can_edit_person(request.user, person),
    }
    return render(request, "people/person_detail.html", context)


def _initial(person) -> dict:
    initial = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    initial["races"] = list(person.races.values_list("race", flat=True))
    initial["aliases"] = "\n".join(
        f"{a.first_name} {a.last_name}".strip() for a in person.aliases.all()
    )
    initial["version"] = person.version
    if person.address is not None:
        for name in ("line1", "city", "state", "postal_code", "latitude", "longitude"):
            initial[name] = getattr(person.address, name)
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(
        permissions.persons_visible_to(request.user).select_related("address"), pk=pk
    )
    authorize(
        request, permissions.can_edit_person(request.user, person), action="person.edit", obj=person
    )
    form = PersonEditForm(request.POST or None, initial=_initial(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user,
                person=person,
                expected_version=form.cleaned_data["version"],
                data=form.person_input(
                    address=form.address_input(), aliases=form.cleaned_data["aliases"]
                ),
            )
        except (ValidationError, StaleEditError) as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:person-detail", pk=person.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "people/person_edit.html", {"form": form, "person": person}, status=status
    )
