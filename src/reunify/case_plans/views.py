from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reunify.case_plans import services
from reunify.case_plans.forms import CasePlanRecordForm
from reunify.cases.views import editable_episode
from reunify.core import clock
from reunify.core.forms_errors import apply_errors


@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, pk: int) -> HttpResponse:
    episode = editable_episode(request, pk)
    form = CasePlanRecordForm(request.POST or None, initial={"completed_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_plan_record(actor=request.user, episode=episode, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Case plan recorded."))
            return redirect("cases:case-detail", pk=episode.case_id)
    context = {
        "form": form,
        "episode": episode,
        "case": episode.case,
        "plans": episode.case_plans.all(),
    }
    return render(
        request, "case_plans/record.html", context, status=400 if request.method == "POST" else 200
    )
