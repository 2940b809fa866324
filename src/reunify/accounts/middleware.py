"""Requests of a signed-in user who still owes a second factor reach only the pages that let
them give it (or sign out). Runs after django-otp's OTPMiddleware, which sets `is_verified`."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from reunify.accounts import second_factor

OPEN_TO_UNVERIFIED = {
    "accounts:login",
    "accounts:logout",
    "accounts:second-factor",
    "accounts:second-factor-setup",
    "set_language",
    "favicon",
}


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and second_factor.required_for(user)
        ):
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = ""
            if name not in OPEN_TO_UNVERIFIED and not request.path_info.startswith("/static/"):
                target = (
                    "accounts:second-factor"
                    if second_factor.confirmed_totp(user)
                    else "accounts:second-factor-setup"
                )
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse(target)}?{query}")
        return self.get_response(request)
