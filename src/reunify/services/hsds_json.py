"""Flattening HSDS JSON (a list of HSDS 3.0 "service" objects with their organization, locations,
phones, schedules, languages and attributes nested) into the rows of the CSV tables, so both
forms are checked by the same code in `reunify.services.hsds`. Pure: no Django."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from reunify.services.hsds_schema import (
    BAD_JSON,
    BY_TABLE,
    JSON_LIST,
    JSON_OBJECT,
    JSON_SHAPE,
    JSON_VALUE,
    MAX_BYTES,
    MAX_ROWS,
    NOT_UTF8,
    TABLES,
    TOO_LARGE,
    TOO_MANY_ROWS,
    Collector,
    Origin,
    Problem,
    RawRow,
    RawTable,
    column_name,
)

# ---- JSON --------------------------------------------------------------------------------------


def json_tables(data: bytes, name: str, collector: Collector) -> dict[str, RawTable]:
    if len(data) > MAX_BYTES:
        collector.add(Problem(name, None, "", TOO_LARGE, {"limit": MAX_BYTES >> 20}))
        return {}
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        collector.add(Problem(name, None, "", NOT_UTF8))
        return {}
    except json.JSONDecodeError as error:
        collector.add(Problem(name, error.lineno, "", BAD_JSON, {"error": error.msg}, unit="line"))
        return {}
    except RecursionError:
        collector.add(Problem(name, None, "", BAD_JSON, {"error": "nested too deeply"}))
        return {}
    if isinstance(document, dict):
        for key in ("contents", "services", "items"):
            if isinstance(document.get(key), list):
                document = document[key]
                break
        else:
            document = [document] if "id" in document and "name" in document else None
    if not isinstance(document, list):
        collector.add(Problem(name, None, "", JSON_SHAPE))
        return {}
    if len(document) > MAX_ROWS:
        collector.add(Problem(name, None, "", TOO_MANY_ROWS, {"limit": MAX_ROWS}))
        return {}
    flattener = _Flattener(name, collector)
    for index, item in enumerate(document, start=1):
        flattener.service(item, index)
    return flattener.tables


class _Flattener:
    """Turns nested HSDS service objects into the rows of the CSV tables, with each value's JSON
    path kept for the problem messages. An organization, location or taxonomy term shared by
    several services appears once (a second, different description of it is a duplicate id)."""

    def __init__(self, file: str, collector: Collector) -> None:
        self.file = file
        self.collector = collector
        self.tables: dict[str, RawTable] = {t.key: RawTable(t, file, None) for t in TABLES}
        self._shared: dict[tuple[str, str], dict[str, str]] = {}

    def _object(self, value: Any, origin: Origin, path: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.collector.add(origin.problem(path, JSON_OBJECT))
        return None

    def _list(self, parent: Mapping[str, Any], key: str, origin: Origin) -> list[Any]:
        value = parent.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return value
        self.collector.add(origin.problem(key, JSON_LIST))
        return []

    def _add(
        self, table: str, obj: Mapping[str, Any], origin: Origin, extra: Mapping[str, str]
    ) -> str:
        """Add one object's scalar fields as a row; returns its id (may be "")."""
        columns = {c.name for c in BY_TABLE[table].columns} | {
            a for c in BY_TABLE[table].columns for a in c.aliases
        }
        values: dict[str, str] = {}
        for key, value in obj.items():
            name = column_name(BY_TABLE[table], key)
            if name not in columns or isinstance(value, dict | list):
                continue
            if value is None:
                values[name] = ""
            elif isinstance(value, bool):
                values[name] = "true" if value else "false"
            elif isinstance(value, int | float | str):
                values[name] = str(value)
            else:  # pragma: no cover - JSON has no other scalar types
                self.collector.add(origin.problem(key, JSON_VALUE))
        for key, value in extra.items():
            if not values.get(key):
                values[key] = value
        identifier = values.get("id", "")
        if table in ("organizations", "locations", "taxonomy_terms", "addresses") and identifier:
            previous = self._shared.get((table, identifier))
            if previous == values:
                return identifier
            self._shared[(table, identifier)] = values
        self.tables[table].rows.append(RawRow(origin, values))
        return identifier

    def service(self, item: Any, index: int) -> None:
        origin = Origin(self.file, index, unit="item")
        service = self._object(item, origin, "")
        if service is None:
            return
        extra: dict[str, str] = {}
        organization = service.get("organization")
        if organization is not None:
            org = self._object(organization, replace_prefix(origin, "organization."), "")
            if org is not None:
                org_id = self._add(
                    "organizations", org, replace_prefix(origin, "organization."), {}
                )
                extra["organization_id"] = org_id
                self._children(
                    org, replace_prefix(origin, "organization."), {"organization_id": org_id}
                )
        service_id = self._add("services", service, origin, extra)
        self._children(service, origin, {"service_id": service_id})
        for position, attribute in enumerate(self._list(service, "attributes", origin)):
            at = replace_prefix(origin, f"attributes[{position}].")
            attribute_obj = self._object(attribute, at, "")
            if attribute_obj is None:
                continue
            if str(attribute_obj.get("link_entity") or "service") != "service":
                continue
            term = attribute_obj.get("taxonomy_term")
            term_id = str(attribute_obj.get("taxonomy_term_id") or "")
            if term is not None:
                term_obj = self._object(term, replace_prefix(at, "taxonomy_term."), "")
                if term_obj is not None:
                    term_id = self._add(
                        "taxonomy_terms", term_obj, replace_prefix(at, "taxonomy_term."), {}
                    )
            link = {"id": str(attribute_obj.get("id") or ""), "service_id": service_id}
            self._add("service_taxonomies", {"taxonomy_term_id": term_id}, at, link)
        for position, term in enumerate(self._list(service, "taxonomy_terms", origin)):
            at = replace_prefix(origin, f"taxonomy_terms[{position}].")
            term_obj = self._object(term, at, "")
            if term_obj is not None:
                term_id = self._add("taxonomy_terms", term_obj, at, {})
                self._add(
                    "service_taxonomies",
                    {"taxonomy_term_id": term_id},
                    at,
                    {"service_id": service_id},
                )
        links = self._list(service, "service_at_locations", origin)
        for position, link_value in enumerate(links):
            at = replace_prefix(origin, f"service_at_locations[{position}].")
            link_obj = self._object(link_value, at, "")
            if link_obj is None:
                continue
            location_id = str(link_obj.get("location_id") or "")
            location = link_obj.get("location")
            if location is not None:
                location_id = self._location(location, replace_prefix(at, "location."))
            link_id = self._add(
                "service_at_locations",
                link_obj,
                at,
                {"service_id": service_id, "location_id": location_id},
            )
            self._children(
                link_obj,
                at,
                {
                    "service_id": service_id,
                    "location_id": location_id,
                    "service_at_location_id": link_id,
                },
                languages=False,
            )
        for position, location in enumerate(self._list(service, "locations", origin)):
            at = replace_prefix(origin, f"locations[{position}].")
            location_id = self._location(location, at)
            generated = f"{service_id}@{location_id}"
            self._add(
                "service_at_locations",
                {},
                at,
                {"id": generated, "service_id": service_id, "location_id": location_id},
            )

    def _location(self, value: Any, origin: Origin) -> str:
        location = self._object(value, origin, "")
        if location is None:
            return ""
        location_id = self._add("locations", location, origin, {})
        for position, address in enumerate(self._list(location, "addresses", origin)):
            at = replace_prefix(origin, f"addresses[{position}].")
            address_obj = self._object(address, at, "")
            if address_obj is not None:
                self._add("addresses", address_obj, at, {"location_id": location_id})
        self._children(location, origin, {"location_id": location_id})
        return location_id

    def _children(
        self,
        parent: Mapping[str, Any],
        origin: Origin,
        owner: Mapping[str, str],
        *,
        languages: bool = True,
    ) -> None:
        for position, phone in enumerate(self._list(parent, "phones", origin)):
            at = replace_prefix(origin, f"phones[{position}].")
            phone_obj = self._object(phone, at, "")
            if phone_obj is None:
                continue
            phone_id = self._add("phones", phone_obj, at, owner)
            for inner, language in enumerate(self._list(phone_obj, "languages", at)):
                inner_at = replace_prefix(at, f"languages[{inner}].")
                language_obj = self._object(language, inner_at, "")
                if language_obj is not None:
                    self._add("languages", language_obj, inner_at, {"phone_id": phone_id})
        for position, schedule in enumerate(self._list(parent, "schedules", origin)):
            at = replace_prefix(origin, f"schedules[{position}].")
            schedule_obj = self._object(schedule, at, "")
            if schedule_obj is not None:
                self._add("schedules", schedule_obj, at, owner)
        if not languages:
            return
        for position, language in enumerate(self._list(parent, "languages", origin)):
            at = replace_prefix(origin, f"languages[{position}].")
            language_obj = self._object(language, at, "")
            if language_obj is not None:
                self._add("languages", language_obj, at, owner)


def replace_prefix(origin: Origin, more: str) -> Origin:
    return Origin(origin.file, origin.row, origin.unit, origin.prefix + more)
