"""The printed case plan: plain words, in English or Spanish, from the plan page's data. The
family's version never shows a confidential place; the court version adds the agency's efforts."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import translation

from reunify.case_plans import selectors
from reunify.cases.models import FamilyCase

LANGUAGES = ("en", "es")


def plan_pdf(
    *,
    case: FamilyCase,
    today: dt.date,
    language: str = "en",
    court: bool = False,
    number: int | None = None,
    base_url: str = "",
) -> bytes:
    import weasyprint  # heavy: loaded only when a PDF is made

    page = selectors.plan_page(case=case, today=today, number=number)
    service_ids = {
        s["service_id"]
        for g in page.goals
        for s in g.goal.get("services", [])
        if isinstance(s.get("service_id"), int)
    }
    context = {
        "page": page,
        "case": case,
        "court": court,
        "today": today,
        "directory": selectors.directory_details(service_ids, case.agency_id),
    }
    with translation.override(language if language in LANGUAGES else "en"):
        html = render_to_string("case_plans/pdf.html", context)
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf()
