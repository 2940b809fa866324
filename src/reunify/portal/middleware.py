"""The boundary between the family portal and the staff pages: a family or partner account
reaches only the portal, the pages of its own sign-in, and the public answer pages it may be sent
links to; every staff page answers 404 to it, whatever the page's own policy would say (defence
in depth: the staff policies deny these roles too). Its start page "/" is the portal's home."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from reunify.accounts.permissions import is_portal_user

PORTAL_NAMESPACE = "portal"
ALSO_OPEN = {
    "accounts:login",
    "accounts:logout",
    "accounts:second-factor",
    "accounts:second-factor-setup",
    "set_language",
    "favicon",
    "reminders:respond",  # the family-time reminder's answer link
}


class PortalBoundaryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and is_portal_user(user)
            and not request.path_info.startswith("/static/")
        ):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)  # Django's own 404
            if match.view_name == "cases:caseload":
                return HttpResponseRedirect(reverse("portal:home"))
            if match.namespace != PORTAL_NAMESPACE and match.view_name not in ALSO_OPEN:
                raise Http404
        return self.get_response(request)
