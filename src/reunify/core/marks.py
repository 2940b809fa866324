"""Marks a message for translation without translating it, for pure modules that must not
import Django. `makemessages` collects strings wrapped in `gettext_noop`; callers translate them
with Django's gettext when they show them."""


def gettext_noop(message: str) -> str:
    return message
