"""Where shared documents are kept: a private directory with no public address (AZ-11). Apart
from `documents.py` so the model can name it without importing the services."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A file-system store under `REUNIFY_PORTAL_FILES_DIR` (default: var/portal_files), read at
    each use so tests can point it elsewhere. It has no URL: asking for one is a mistake."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        default = Path(getattr(settings, "VAR_DIR", ".")) / "portal_files"
        return str(getattr(settings, "REUNIFY_PORTAL_FILES_DIR", default))

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("shared documents have no public address")


storage = PrivateStorage()
