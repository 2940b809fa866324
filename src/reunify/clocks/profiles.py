"""Jurisdiction profiles: durations as data files, validated when loaded. Pure; no Django.

A profile is a TOML file in `profiles/` with `key`, `name`, optional `extends` (another
profile's key), a `[durations]` table of whole numbers and a `[rules]` table of true/false
practice rules, whose names are `rules.Profile` fields. A malformed file is refused with a
message naming the file and the field."""

from __future__ import annotations

import dataclasses
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from reunify.clocks.rules import Profile

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"
RULE_FIELDS = {f.name for f in dataclasses.fields(Profile) if f.type in ("bool", bool)}
DURATION_FIELDS = {f.name for f in dataclasses.fields(Profile)} - {"key", "name"} - RULE_FIELDS
TOP_LEVEL = {"key", "name", "extends", "durations", "rules"}


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file and the field."""


def parse(raw: dict[str, Any], *, source: str, parents: dict[str, Profile]) -> Profile:
    unknown = set(raw) - TOP_LEVEL
    if unknown:
        raise ProfileError(f"{source}: unknown field {sorted(unknown)[0]!r}")
    for name in ("key", "name"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise ProfileError(f"{source}: {name!r} must be a non-empty string")
    base = Profile(key=raw["key"], name=raw["name"])
    if "extends" in raw:
        parent = parents.get(raw["extends"])
        if parent is None:
            raise ProfileError(f"{source}: 'extends' names unknown profile {raw['extends']!r}")
        base = dataclasses.replace(parent, key=raw["key"], name=raw["name"])
    durations = raw.get("durations", {})
    if not isinstance(durations, dict):
        raise ProfileError(f"{source}: 'durations' must be a table")
    values: dict[str, int | bool] = {}
    for name, value in durations.items():
        if name not in DURATION_FIELDS:
            raise ProfileError(f"{source}: durations.{name} is not a known duration")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ProfileError(
                f"{source}: durations.{name} must be a whole number of 0 or more, got {value!r}"
            )
        values[name] = value
    rules = raw.get("rules", {})
    if not isinstance(rules, dict):
        raise ProfileError(f"{source}: 'rules' must be a table")
    for name, value in rules.items():
        if name not in RULE_FIELDS:
            raise ProfileError(f"{source}: rules.{name} is not a known rule")
        if not isinstance(value, bool):
            raise ProfileError(f"{source}: rules.{name} must be true or false, got {value!r}")
        values[name] = value
    return dataclasses.replace(base, **values)  # type: ignore[arg-type]  # names checked above


def load_all(directory: Path = PROFILE_DIR) -> dict[str, Profile]:
    """Every profile in `directory`, parents before children."""
    raws: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ProfileError(f"{path.name}: not valid TOML ({error})") from error
        key = raw.get("key")
        if key != path.stem:
            raise ProfileError(f"{path.name}: 'key' must be {path.stem!r}, the file's name")
        raws[key] = (path.name, raw)
    profiles: dict[str, Profile] = {}
    pending = dict(raws)
    while pending:
        ready = [k for k, (_, raw) in pending.items() if raw.get("extends") in (None, *profiles)]
        if not ready:
            source, raw = next(iter(pending.values()))
            raise ProfileError(f"{source}: 'extends' names unknown profile {raw.get('extends')!r}")
        for key in ready:
            source, raw = pending.pop(key)
            profiles[key] = parse(raw, source=source, parents=profiles)
    if "federal" not in profiles:
        raise ProfileError("profiles: the 'federal' baseline is missing")
    return profiles


@cache
def available() -> dict[str, Profile]:
    return load_all()


def get(key: str) -> Profile:
    """The named profile, or the federal baseline when the key is unknown."""
    profiles = available()
    return profiles.get(key, profiles["federal"])
