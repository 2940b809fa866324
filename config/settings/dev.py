"""Local development and `make demo`: SQLite under var/, console e-mail, a secret kept in var/."""

from __future__ import annotations

import secrets

from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR


def _secret_key() -> str:
    import os

    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
REUNIFY_DEMO_ALLOWED = True
