"""Per-request facts (address, request id) that the audit trail records, kept in a context
variable so services need not be handed the request."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class RequestMeta:
    ip_address: str | None = None
    request_id: str = ""


_NO_REQUEST = RequestMeta()
_meta: ContextVar[RequestMeta] = ContextVar("reunify_request_meta", default=_NO_REQUEST)


def current_request_meta() -> RequestMeta:
    return _meta.get()


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID", "")[:36] or str(uuid.uuid4())
        token = _meta.set(
            RequestMeta(ip_address=request.META.get("REMOTE_ADDR"), request_id=request_id)
        )
        try:
            response = self.get_response(request)
        finally:
            _meta.reset(token)
        response["X-Request-ID"] = request_id
        return response
