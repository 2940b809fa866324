"""What a backup holds and how to check it: pure functions, no Django.

A backup is a directory: the database (an SQLite file made with the online backup API, or a
PostgreSQL custom-format dump), the private files (message attachments, shared documents) and
`manifest.json`, which lists every file with its size and SHA-256, and every table with its row
count and a hash of its content. A restore first checks every file against the manifest (a
changed or missing file stops it before anything is written), and a drill compares the restored
database's tables with the manifest's.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1 << 20


@dataclass(frozen=True)
class TableState:
    """A table's row count and a SHA-256 over its rows in a fixed order."""

    name: str
    rows: int
    sha256: str


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _canonical(value: Any) -> Any:
    """A JSON-ready form of a database value, the same for the same stored value."""
    if isinstance(value, bytes | bytearray | memoryview):
        return "b64:" + base64.b64encode(bytes(value)).decode()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def table_state(name: str, rows: Iterable[Sequence[Any]]) -> TableState:
    """Hash rows already in a deterministic order (the caller sorts them by every column)."""
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        count += 1
        line = json.dumps([_canonical(v) for v in row], separators=(",", ":"), default=str)
        digest.update(line.encode())
        digest.update(b"\n")
    return TableState(name, count, digest.hexdigest())


def build(
    *,
    engine: str,
    created_at: dt.datetime,
    directory: Path,
    files: Iterable[str],
    tables: Iterable[TableState],
) -> dict[str, Any]:
    """The manifest of a backup written to `directory`; `files` are paths relative to it."""
    return {
        "format": FORMAT,
        "engine": engine,
        "created_at": created_at.isoformat(),
        "files": {
            name: {
                "bytes": (directory / name).stat().st_size,
                "sha256": file_sha256(directory / name),
            }
            for name in sorted(files)
        },
        "tables": {t.name: {"rows": t.rows, "sha256": t.sha256} for t in tables},
    }


def write(directory: Path, manifest: dict[str, Any]) -> Path:
    path = directory / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read(directory: Path) -> dict[str, Any]:
    """The manifest of the backup in `directory`; ValueError if there is none or it is not one."""
    path = directory / MANIFEST
    if not path.is_file():
        raise ValueError(f"{directory} holds no {MANIFEST}: not a Reunify backup")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} is not a readable manifest: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValueError(f"{path}: unknown manifest format")
    return manifest


def check_files(directory: Path, manifest: dict[str, Any]) -> list[str]:
    """Every file the manifest lists, present with its size and hash; the problems found."""
    problems = []
    for name, expected in sorted(manifest["files"].items()):
        path = directory / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif path.stat().st_size != expected["bytes"]:
            problems.append(
                f"{name}: {path.stat().st_size} bytes, the manifest says {expected['bytes']}"
            )
        elif file_sha256(path) != expected["sha256"]:
            problems.append(f"{name}: content differs from the manifest (SHA-256)")
    return problems


def compare_tables(manifest: dict[str, Any], actual: Iterable[TableState]) -> list[str]:
    """The differences between the manifest's tables and a database's: missing or extra
    tables, row counts, content."""
    expected: dict[str, dict[str, Any]] = manifest["tables"]
    found = {t.name: t for t in actual}
    problems = [f"table {name}: missing" for name in sorted(set(expected) - set(found))]
    problems += [f"table {name}: not in the backup" for name in sorted(set(found) - set(expected))]
    for name in sorted(set(expected) & set(found)):
        state = found[name]
        if state.rows != expected[name]["rows"]:
            problems.append(
                f"table {name}: {state.rows} rows, the backup had {expected[name]['rows']}"
            )
        elif state.sha256 != expected[name]["sha256"]:
            problems.append(f"table {name}: content differs from the backup")
    return problems
