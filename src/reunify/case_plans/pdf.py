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
    services = _services(page, case)
    service_ids = {s["service_id"] for s in services if isinstance(s.get("service_id"), int)}
    context = {
        "page": page,
        "case": case,
        "court": court,
        "today": today,
        "services": services,
        "directory": selectors.directory_details(service_ids, case.agency_id),
    }
    with translation.override(language if language in LANGUAGES else "en"):
        html = render_to_string("case_plans/pdf.html", context)
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf()


LIVE_REFERRALS = ("sent", "accepted", "in_service")


def _services(page: selectors.PlanPage, case: FamilyCase) -> list[dict]:
    """The services the plan names under its goals, then those the family was referred to and
    that are under way (sent, accepted, in service), each once; the directory gives address,
    phone and hours for those linked to it."""
    from reunify.referrals.models import Referral  # referrals build on case plans

    found: list[dict] = []
    seen: set[object] = set()
    for g in page.goals:
        for service in g.goal.get("services", []):
            key = service.get("service_id") or service.get("name")
            if key not in seen:
                seen.add(key)
                found.append(service)
    referred = (
        Referral.objects.filter(case=case, status__in=LIVE_REFERRALS)
        .select_related("service")
        .order_by("created_at", "pk")
    )
    for referral in referred:
        if referral.service_id not in seen:
            seen.add(referral.service_id)
            found.append({"name": referral.service.name, "service_id": referral.service_id})
    return found
