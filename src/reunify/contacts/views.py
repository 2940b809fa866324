from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.cases import permissions as case_permissions
from reunify.cases.models import ParticipantRole
from reunify.contacts import services
from reunify.contacts.forms import VisitForm
from reunify.core import clock
from reunify.core.forms_errors import apply_errors
from reunify.core.views import authorize


@login_required
@require_http_methods(["GET", "POST"])
def visit_record(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    case = get_object_or_404(case_permissions.cases_visible_to(request.user), pk=pk)
    authorize(
        request,
        case_permissions.can_edit_case(request.user, case),
        action="contact.record",
        obj=case,
        case_id=case.pk,
    )
    child = get_object_or_404(
        case.participants.select_related("person"), person_id=person_pk, role=ParticipantRole.CHILD
    ).person
    form = VisitForm(request.POST or None, initial={"occurred_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_record(actor=request.user, case=case, child=child, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("cases:case-detail", pk=case.pk)
    context = {"form": form, "case": case, "child": child}
    return render(
        request,
        "contacts/visit_record.html",
        context,
        status=400 if request.method == "POST" else 200,
    )
