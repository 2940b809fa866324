"""Who is acting, for the duration of a service call.

`@write` marks a service: it runs the function in one transaction and makes the `actor` keyword
argument the user that django-simple-history stamps on every history row the call writes (the
request middleware only covers web requests; services also run from commands and tasks)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")

_actor: ContextVar[Any] = ContextVar("reunify_actor", default=None)


def current_actor() -> Any:
    return _actor.get()


def write(func: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        actor = kwargs.get("actor")
        token = _actor.set(actor if getattr(actor, "is_authenticated", False) else _actor.get())
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        finally:
            _actor.reset(token)

    return wrapper


def history_user(instance: Any = None, request: Any = None, **kwargs: Any) -> Any:
    """django-simple-history's `get_user`: the acting user, else the signed-in request user."""
    actor = _actor.get()
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None
