"""Searching the community service directory, a service's page, and importing the directory."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.cases import permissions as case_permissions
from reunify.cases.models import FamilyCase
from reunify.core.views import authorize
from reunify.services import permissions, selectors, services
from reunify.services.forms import DirectoryImportForm, ServiceSearchForm, cost_filter
from reunify.services.hsds_schema import HsdsError, Problem


def _near(request: HttpRequest, form: ServiceSearchForm) -> tuple[float, float] | None:
    """The place the search is near: the chosen case's family home, a ZIP code or coordinates.
    Adds an error to the form when the place cannot be found."""
    data = form.cleaned_data
    if data.get("case") is not None:
        near = selectors.place_of_family(case=data["case"])
        if near is None:
            form.add_error(
                "case", _("No parent in this case has a home address with a map location.")
            )
        return near
    place = data.get("place")
    if place is None:
        return None
    kind, value = place
    if kind == "coordinates":
        return value  # type: ignore[no-any-return]
    near = selectors.place_of_postal_code(agency=request.user.agency, postal_code=value)
    if near is None:
        form.add_error(
            "place",
            _("No service in the directory is in ZIP code %(zip)s; enter coordinates instead.")
            % {"zip": value},
        )
    return near


@login_required
@require_http_methods(["GET"])
def service_search(request: HttpRequest) -> HttpResponse:
    authorize(request, permissions.can_search_directory(request.user), action="services.search")
    cases = case_permissions.cases_visible_to(request.user).filter(status=FamilyCase.Status.OPEN)
    query = request.GET.copy()
    page = query.pop("page", ["1"])[-1]
    form = ServiceSearchForm(query or None, cases=cases)
    results = None
    if not form.is_bound:
        results = selectors.service_search(request.user.agency, page=page)
    elif form.is_valid():
        near = _near(request, form)
        if not form.errors:
            data = form.cleaned_data
            results = selectors.service_search(
                request.user.agency,
                category=data["category"] or None,
                language=data["language"] or None,
                near=near,
                within_miles=data["within_miles"] if near is not None else None,
                cost=cost_filter(data["cost"]),
                accepting_only=data["accepting"],
                text=data["q"],
                page=page,
            )
    context = {
        "form": form,
        "results": results,
        "querystring": query.urlencode(),
        "can_import": permissions.can_import_directory(request.user),
    }
    return render(request, "services/search.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET"])
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    authorize(request, permissions.can_search_directory(request.user), action="services.view")
    service = selectors.service_get(services=permissions.services_visible_to(request.user), pk=pk)
    if service is None:
        raise Http404
    return render(request, "services/service_detail.html", {"service": service})


def problem_text(problem: Problem) -> str:
    """One import problem in the reader's language: where, then what."""
    parts = [problem.file]
    if problem.row is not None:
        unit = {"row": _("row %(n)s"), "item": _("item %(n)s"), "line": _("line %(n)s")}
        parts.append(unit.get(problem.unit, _("row %(n)s")) % {"n": problem.row})
    if problem.field:
        parts.append(_("field %(field)s") % {"field": problem.field})
    return f"{', '.join(parts)}: {_(problem.message) % dict(problem.params)}"


@login_required
@require_http_methods(["GET", "POST"])
def directory_import(request: HttpRequest) -> HttpResponse:
    authorize(request, permissions.can_import_directory(request.user), action="services.import")
    agency = request.user.agency
    if request.method == "POST":
        form = DirectoryImportForm(request.POST, request.FILES)
    else:
        form = DirectoryImportForm()
    context: dict[str, Any] = {"form": form, "problems": [], "more": 0, "result": None}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            context["result"] = services.directory_import(
                actor=request.user, agency=agency, source=upload.read(), name=upload.name
            )
        except HsdsError as error:
            context["problems"] = [problem_text(p) for p in error.problems]
            context["more"] = error.more
        except DatabaseError:
            form.add_error(None, _("The database refused the import. Nothing was changed."))
        else:
            messages.success(request, _("The directory was imported."))
    context["summary"] = selectors.directory_summary(agency=agency)
    failed = request.method == "POST" and (form.errors or context["problems"])
    return render(request, "services/directory_import.html", context, status=400 if failed else 200)
