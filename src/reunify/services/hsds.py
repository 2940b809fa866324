"""Reading and validating Open Referral HSDS directory data. Pure: no Django.

Two inputs are accepted (docs/service-directory.md has the full list of files and columns):

- an HSDS CSV package: a directory or a .zip holding `organizations.csv`, `services.csv` and,
  optionally, `locations.csv`, `addresses.csv`, `service_at_locations.csv`, `phones.csv`,
  `schedules.csv`, `languages.csv`, `taxonomy_terms.csv`, `service_attributes.csv` (or
  `service_taxonomies.csv` / `attributes.csv`) and `eligibility.csv`, with HSDS 2.0 file names
  accepted too; `datapackage.json` is optional and, when present, may name the files;
- HSDS JSON: a list of HSDS 3.0 "service" objects with the organization, service_at_locations
  (each with its location), phones, schedules, languages and attributes nested in them (or an
  API page with the list under `contents`).

JSON is first flattened into the same tables as the CSV package, so both are checked against one
schema (`TABLES`): required columns and values, types, enumerations, lengths, unique ids and
references between tables. Every problem is collected as "file, row N, field F: problem" and any
problem refuses the whole directory (`HsdsError`); nothing is returned half-checked.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from reunify.services import categories
from reunify.services.hsds_json import json_tables
from reunify.services.hsds_schema import (
    AGES,
    BAD_CSV,
    BAD_JSON,
    BAD_ZIP,
    BY_TABLE,
    COLUMN_MISSING,
    COLUMN_TWICE,
    DANGLING,
    DUPLICATE_ID,
    DUPLICATE_LINK,
    EMPTY,
    EXTRA_CELLS,
    FILE_MISSING,
    FILE_TWICE,
    HALF_COORDINATES,
    JSON_LIST,
    LANGUAGE_UNNAMED,
    MAX_BYTES,
    MAX_ROWS,
    NOT_A_PACKAGE,
    NOT_LANGUAGE,
    NOT_UTF8,
    ORPHAN_LANGUAGE,
    ORPHAN_PHONE,
    ORPHAN_SCHEDULE,
    REF,
    TABLES,
    TOO_LARGE,
    TOO_MANY_ROWS,
    Collector,
    HsdsError,
    Origin,
    Problem,
    RawRow,
    RawTable,
    Table,
    check_value,
    column_name,
    language_code,
)

__all__ = ["Directory", "HsdsError", "Problem", "read_directory"]


@dataclass(frozen=True)
class OrganizationData:
    hsds_id: str
    name: str
    description: str
    email: str
    website: str
    origin: Origin


@dataclass(frozen=True)
class LocationData:
    hsds_id: str
    organization_id: str
    name: str
    description: str
    address_1: str
    address_2: str
    city: str
    state: str
    postal_code: str
    latitude: Decimal | None
    longitude: Decimal | None
    origin: Origin


@dataclass(frozen=True)
class ServiceData:
    hsds_id: str
    organization_id: str
    name: str
    alternate_name: str
    description: str
    url: str
    email: str
    status: str  # active, inactive or temporarily_closed
    accepting_new_clients: bool
    fees_description: str
    cost: str  # free, sliding_scale, fee, or "" when the directory does not say
    eligibility_description: str
    minimum_age: int | None
    maximum_age: int | None
    application_process: str
    interpretation_services: str
    languages: tuple[str, ...]  # ISO 639 codes, sorted
    categories: tuple[str, ...]  # need category keys, sorted
    term_ids: tuple[str, ...]  # taxonomy term hsds ids, sorted
    origin: Origin


@dataclass(frozen=True)
class ServiceAtLocationData:
    hsds_id: str
    service_id: str
    location_id: str
    description: str
    origin: Origin


@dataclass(frozen=True)
class PhoneData:
    hsds_id: str
    service_id: str
    location_id: str
    organization_id: str
    number: str
    extension: str
    type: str
    description: str
    language: str
    origin: Origin


@dataclass(frozen=True)
class ScheduleData:
    hsds_id: str
    service_id: str
    location_id: str
    freq: str
    byday: str
    opens_at: dt.time | None
    closes_at: dt.time | None
    description: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    origin: Origin


@dataclass(frozen=True)
class TermData:
    hsds_id: str
    name: str
    code: str
    taxonomy: str
    category: str
    origin: Origin


@dataclass(frozen=True)
class Directory:
    """A checked directory, ready to be written: every reference resolves."""

    organizations: tuple[OrganizationData, ...]
    services: tuple[ServiceData, ...]
    locations: tuple[LocationData, ...]
    service_at_locations: tuple[ServiceAtLocationData, ...]
    phones: tuple[PhoneData, ...]
    schedules: tuple[ScheduleData, ...]
    terms: tuple[TermData, ...]


# ---- reading the files -------------------------------------------------------------------------


def read_directory(source: Path | bytes, *, name: str = "") -> Directory:
    """Read and check a CSV package (folder, .zip path or bytes) or an HSDS JSON file.

    Raises HsdsError listing every problem found; returns a Directory only when there is none."""
    collector = Collector()
    if isinstance(source, Path) and source.is_dir():
        files = _folder_files(source, collector)
        tables = _csv_tables(files, collector)
    else:
        if isinstance(source, Path):
            name = name or source.name
            data = source.read_bytes()
        else:
            data = source
        name = name or "upload"
        if data[:4] == b"PK\x03\x04":
            members = _zip_files(data, name, collector)
            tables = _csv_tables(members, collector) if members is not None else {}
        elif data.lstrip()[:1] in (b"[", b"{"):
            tables = json_tables(data, name, collector)
        else:
            collector.add(Problem(name, None, "", NOT_A_PACKAGE))
            tables = {}
    collector.raise_if_any()
    directory = _check_tables(tables, collector)
    collector.raise_if_any()
    if directory is None:  # pragma: no cover - no problem means a directory was built
        raise HsdsError(collector.problems)
    return directory


def _folder_files(folder: Path, collector: Collector) -> dict[str, tuple[str, bytes]]:
    files: dict[str, tuple[str, bytes]] = {}
    total = 0
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in (".csv", ".json"):
            total += path.stat().st_size
            if total > MAX_BYTES:
                collector.add(Problem(folder.name, None, "", TOO_LARGE, {"limit": MAX_BYTES >> 20}))
                return {}
            files[path.name.lower()] = (path.name, path.read_bytes())
    return files


def _zip_files(data: bytes, name: str, collector: Collector) -> dict[str, tuple[str, bytes]] | None:
    """The .csv and .json members by lower-case base name (a package may sit in one folder)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError):
        collector.add(Problem(name, None, "", BAD_ZIP))
        return None
    wanted = [
        m
        for m in members
        if m.filename.lower().endswith((".csv", ".json"))
        and not m.filename.startswith("__MACOSX/")
        and not Path(m.filename).name.startswith(".")
    ]
    if sum(m.file_size for m in wanted) > MAX_BYTES:
        collector.add(Problem(name, None, "", TOO_LARGE, {"limit": MAX_BYTES >> 20}))
        return None
    files: dict[str, tuple[str, bytes]] = {}
    for member in wanted:
        base = Path(member.filename).name
        if base.lower() in files:
            collector.add(Problem(base, None, "", FILE_TWICE))
            continue
        try:
            with archive.open(member) as handle:
                content = handle.read(MAX_BYTES + 1)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
            collector.add(Problem(name, None, "", BAD_ZIP))
            return None
        if len(content) > MAX_BYTES:
            collector.add(Problem(name, None, "", TOO_LARGE, {"limit": MAX_BYTES >> 20}))
            return None
        files[base.lower()] = (base, content)
    return files


def _datapackage_paths(
    files: Mapping[str, tuple[str, bytes]], collector: Collector
) -> dict[str, str]:
    """Table key -> file name, for the resources datapackage.json names (it is optional)."""
    entry = files.get("datapackage.json")
    if entry is None:
        return {}
    try:
        package = json.loads(entry[1].decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        collector.add(Problem(entry[0], None, "", BAD_JSON, {"error": str(error)}))
        return {}
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        collector.add(Problem(entry[0], None, "resources", JSON_LIST))
        return {}
    paths: dict[str, str] = {}
    for resource in resources:
        if not isinstance(resource, dict):
            continue
        resource_name = str(resource.get("name", "")).lower().replace("-", "_")
        path = resource.get("path")
        if not isinstance(path, str):
            continue
        for table in TABLES:
            names = {table.key, table.key.rstrip("s"), table.singular.replace(" ", "_")}
            if resource_name in names:
                paths[table.key] = Path(path).name.lower()
    return paths


def _csv_tables(
    files: Mapping[str, tuple[str, bytes]], collector: Collector
) -> dict[str, RawTable]:
    named = _datapackage_paths(files, collector)
    tables: dict[str, RawTable] = {}
    for table in TABLES:
        candidates = [named[table.key]] if table.key in named else list(table.files)
        found = [c for c in candidates if c in files]
        if not found:
            if table.required:
                collector.add(Problem(table.files[0], None, "", FILE_MISSING))
            continue
        display, content = files[found[0]]
        raw = _read_csv(table, display, content, collector)
        if raw is not None:
            tables[table.key] = raw
    return tables


def _read_csv(table: Table, file: str, content: bytes, collector: Collector) -> RawTable | None:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        collector.add(Problem(file, None, "", NOT_UTF8))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            collector.add(Problem(file, None, "", EMPTY))
            return None
        columns = [column_name(table, h) for h in header]
        raw = RawTable(table, file, tuple(columns))
        for seen, name in enumerate(columns):
            if name and name in columns[:seen]:
                collector.add(Problem(file, 1, header[seen].strip(), COLUMN_TWICE))
        for cells in reader:
            number = reader.line_num
            if len(raw.rows) >= MAX_ROWS:
                collector.add(Problem(file, None, "", TOO_MANY_ROWS, {"limit": MAX_ROWS}))
                return None
            if not any(c.strip() for c in cells):
                continue
            origin = Origin(file, number)
            if len(cells) > len(columns):
                collector.add(origin.problem("", EXTRA_CELLS))
                continue
            values = {c: v for c, v in zip(columns, cells, strict=False) if c}
            raw.rows.append(RawRow(origin, values))
    except csv.Error as error:
        collector.add(Problem(file, reader.line_num, "", BAD_CSV, {"error": str(error)}))
        return None
    for column in table.columns:
        if column.required and column.name not in columns:
            collector.add(Problem(file, 1, column.name, COLUMN_MISSING))
    return raw


# ---- checking the tables -----------------------------------------------------------------------


@dataclass
class _Record:
    origin: Origin
    values: dict[str, Any]
    invalid: frozenset[str] = frozenset()  # columns with a value that was refused

    def get(self, name: str, default: Any = "") -> Any:
        value = self.values.get(name)
        return default if value is None else value


def _check_tables(tables: Mapping[str, RawTable], collector: Collector) -> Directory | None:
    records: dict[str, list[_Record]] = {}
    for table in TABLES:
        raw = tables.get(table.key)
        records[table.key] = _check_rows(raw, collector) if raw is not None else []
    ids = _unique_ids(records, collector)
    _check_references(records, ids, collector)
    _check_rules(records, collector)
    if collector.problems:
        return None
    return _assemble(records)


def _check_rows(raw: RawTable, collector: Collector) -> list[_Record]:
    table = raw.table
    missing = (
        {c.name for c in table.columns if c.name not in raw.columns}
        if raw.columns is not None
        else set()
    )
    result = []
    for row in raw.rows:
        if table.key == "service_taxonomies":
            entity = row.values.get("link_entity", "").strip().lower()
            if entity not in ("", "service"):
                continue  # attributes of organizations, locations, ... are not read
        values: dict[str, Any] = {}
        invalid = set()
        for column in table.columns:
            if column.name in missing and column.required:
                continue  # reported once for the header, not on every row
            raw_value = row.values.get(column.name, "")
            values[column.name] = check_value(column, raw_value, row.origin, collector.problems)
            if values[column.name] is None and raw_value.strip():
                invalid.add(column.name)
        result.append(_Record(row.origin, values, frozenset(invalid)))
    return result


def _unique_ids(
    records: Mapping[str, list[_Record]], collector: Collector
) -> dict[str, dict[str, _Record]]:
    ids: dict[str, dict[str, _Record]] = {}
    for table in TABLES:
        seen: dict[str, _Record] = {}
        for record in records[table.key]:
            identifier = record.values.get("id")
            if not identifier:
                continue
            if identifier in seen:
                collector.add(
                    record.origin.problem(
                        "id", DUPLICATE_ID, value=identifier, first=seen[identifier].origin.label()
                    )
                )
            else:
                seen[identifier] = record
        ids[table.key] = seen
    links: dict[tuple[str, str], _Record] = {}
    for record in records["service_at_locations"]:
        key = (record.get("service_id"), record.get("location_id"))
        if all(key) and key in links:
            collector.add(
                record.origin.problem(
                    "location_id", DUPLICATE_LINK, first=links[key].origin.label()
                )
            )
        links.setdefault(key, record)
    return ids


def _check_references(
    records: Mapping[str, list[_Record]],
    ids: Mapping[str, Mapping[str, _Record]],
    collector: Collector,
) -> None:
    for table in TABLES:
        references = [c for c in table.columns if c.kind == REF]
        for record in records[table.key]:
            for column in references:
                value = record.values.get(column.name)
                if value and value not in ids[column.table]:
                    collector.add(
                        record.origin.problem(
                            column.name,
                            DANGLING,
                            table=BY_TABLE[column.table].singular,
                            value=value,
                        )
                    )


def _check_rules(records: Mapping[str, list[_Record]], collector: Collector) -> None:
    for record in records["locations"]:
        if record.invalid & {"latitude", "longitude"}:
            continue
        if (record.values.get("latitude") is None) != (record.values.get("longitude") is None):
            raw_missing = "latitude" if record.values.get("latitude") is None else "longitude"
            collector.add(record.origin.problem(raw_missing, HALF_COORDINATES))
    for record in records["services"]:
        low, high = record.values.get("minimum_age"), record.values.get("maximum_age")
        if low is not None and high is not None and low > high:
            collector.add(record.origin.problem("minimum_age", AGES))
    owners = {
        "phones": (
            ("service_id", "location_id", "organization_id", "service_at_location_id"),
            ORPHAN_PHONE,
        ),
        "schedules": (("service_id", "location_id", "service_at_location_id"), ORPHAN_SCHEDULE),
        "languages": (("service_id", "location_id", "phone_id"), ORPHAN_LANGUAGE),
    }
    for key, (columns, message) in owners.items():
        for record in records[key]:
            if not any(record.values.get(c) for c in columns) and not record.invalid & set(columns):
                collector.add(record.origin.problem(columns[0], message))
    for record in records["languages"]:
        if not record.values.get("name") and not record.values.get("code"):
            collector.add(record.origin.problem("code", LANGUAGE_UNNAMED))
        elif not record.values.get("code"):
            code = language_code(record.values["name"])
            if code is None:
                collector.add(
                    record.origin.problem("name", NOT_LANGUAGE, value=record.values["name"])
                )
            record.values["code"] = code


def _cost(explicit: str | None, fees: str) -> str:
    """The cost category: the `cost` column when given, else read from the fees description."""
    if explicit:
        return explicit
    text = fees.lower()
    if not text:
        return ""
    if "sliding" in text or "income-based" in text or "based on income" in text:
        return "sliding_scale"
    if re.search(r"\b(free|no cost|no charge|no fee)\b", text):
        return "free"
    return "fee"


def _assemble(records: Mapping[str, list[_Record]]) -> Directory:
    links = {r.get("id"): r for r in records["service_at_locations"]}

    def owner(record: _Record, name: str) -> str:
        """A phone's or schedule's service or location, through its service-at-location too."""
        direct = record.get(name)
        if direct:
            return str(direct)
        link = links.get(record.get("service_at_location_id"))
        return str(link.get(name)) if link is not None else ""

    addresses: dict[str, _Record] = {}
    for record in records["addresses"]:
        location_id = record.get("location_id")
        current = addresses.get(location_id)
        if current is None or (
            current.get("address_type", "physical") != "physical"
            and record.get("address_type", "physical") == "physical"
        ):
            addresses[location_id] = record
    locations = []
    for record in records["locations"]:
        address = addresses.get(record.get("id"), record)
        locations.append(
            LocationData(
                hsds_id=record.get("id"),
                organization_id=record.get("organization_id"),
                name=record.get("name"),
                description=record.get("description"),
                address_1=address.get("address_1"),
                address_2=address.get("address_2"),
                city=address.get("city"),
                state=address.get("state_province"),
                postal_code=address.get("postal_code"),
                latitude=record.values.get("latitude"),
                longitude=record.values.get("longitude"),
                origin=record.origin,
            )
        )
    phone_languages: dict[str, str] = {}
    service_languages: dict[str, set[str]] = {}
    location_languages: dict[str, set[str]] = {}
    for record in records["languages"]:
        code = record.get("code")
        if record.get("phone_id"):
            phone_languages.setdefault(record.get("phone_id"), code)
        if record.get("service_id"):
            service_languages.setdefault(record.get("service_id"), set()).add(code)
        if record.get("location_id"):
            location_languages.setdefault(record.get("location_id"), set()).add(code)
    service_locations: dict[str, list[str]] = {}
    for record in records["service_at_locations"]:
        service_locations.setdefault(record.get("service_id"), []).append(record.get("location_id"))
    terms = []
    term_categories: dict[str, tuple[str, ...]] = {}
    for record in records["taxonomy_terms"]:
        explicit = record.get("category", ())
        found = categories.category_for_term(name=record.get("name"), code=record.get("code"))
        keys = tuple(explicit) or ((found,) if found else ())
        term_categories[record.get("id")] = keys
        terms.append(
            TermData(
                hsds_id=record.get("id"),
                name=record.get("name"),
                code=record.get("code"),
                taxonomy=record.get("taxonomy"),
                category=keys[0] if keys else "",
                origin=record.origin,
            )
        )
    service_terms: dict[str, set[str]] = {}
    for record in records["service_taxonomies"]:
        service_terms.setdefault(record.get("service_id"), set()).add(
            record.get("taxonomy_term_id")
        )
    eligibility: dict[str, list[str]] = {}
    for record in records["eligibility"]:
        if record.get("eligibility"):
            eligibility.setdefault(record.get("service_id"), []).append(record.get("eligibility"))
    services = []
    for record in records["services"]:
        hsds_id = record.get("id")
        languages = set(service_languages.get(hsds_id, set()))
        for location_id in service_locations.get(hsds_id, []):
            languages |= location_languages.get(location_id, set())
        term_ids = service_terms.get(hsds_id, set())
        needs = set(record.get("category", ()))
        for term_id in term_ids:
            needs |= set(term_categories.get(term_id, ()))
        status = record.get("status")
        services.append(
            ServiceData(
                hsds_id=hsds_id,
                organization_id=record.get("organization_id"),
                name=record.get("name"),
                alternate_name=record.get("alternate_name"),
                description=record.get("description"),
                url=record.get("url"),
                email=record.get("email"),
                status={"defunct": "inactive", "temporarily closed": "temporarily_closed"}.get(
                    status, status
                ),
                accepting_new_clients=record.get("accepting_new_clients", True),
                fees_description=record.get("fees_description"),
                cost=_cost(record.get("cost", None), record.get("fees_description")),
                eligibility_description="\n".join(
                    [e for e in [record.get("eligibility_description")] if e]
                    + eligibility.get(hsds_id, [])
                ),
                minimum_age=record.values.get("minimum_age"),
                maximum_age=record.values.get("maximum_age"),
                application_process=record.get("application_process"),
                interpretation_services=record.get("interpretation_services"),
                languages=tuple(sorted(c for c in languages if c)),
                categories=tuple(sorted(needs)),
                term_ids=tuple(sorted(term_ids)),
                origin=record.origin,
            )
        )
    phones = [
        PhoneData(
            hsds_id=record.get("id"),
            service_id=owner(record, "service_id"),
            location_id=owner(record, "location_id"),
            organization_id=record.get("organization_id"),
            number=record.get("number"),
            extension=record.get("extension"),
            type=record.get("type"),
            description=record.get("description"),
            language=record.get("language") or phone_languages.get(record.get("id"), ""),
            origin=record.origin,
        )
        for record in records["phones"]
    ]
    schedules = [
        ScheduleData(
            hsds_id=record.get("id"),
            service_id=owner(record, "service_id"),
            location_id=owner(record, "location_id"),
            freq=record.get("freq")
            or ("WEEKLY" if record.get("byday") or record.get("weekday") else ""),
            byday=record.get("byday") or record.get("weekday"),
            opens_at=record.values.get("opens_at"),
            closes_at=record.values.get("closes_at"),
            description=record.get("description"),
            valid_from=record.values.get("valid_from"),
            valid_to=record.values.get("valid_to"),
            origin=record.origin,
        )
        for record in records["schedules"]
    ]
    return Directory(
        organizations=tuple(
            OrganizationData(
                hsds_id=record.get("id"),
                name=record.get("name"),
                description=record.get("description"),
                email=record.get("email"),
                website=record.get("website"),
                origin=record.origin,
            )
            for record in records["organizations"]
        ),
        services=tuple(services),
        locations=tuple(locations),
        service_at_locations=tuple(
            ServiceAtLocationData(
                hsds_id=record.get("id"),
                service_id=record.get("service_id"),
                location_id=record.get("location_id"),
                description=record.get("description"),
                origin=record.origin,
            )
            for record in records["service_at_locations"]
        ),
        phones=tuple(phones),
        schedules=tuple(schedules),
        terms=tuple(terms),
    )


def problems_text(problems: Iterable[Problem]) -> Iterator[str]:
    """The English text of each problem (commands and logs; pages translate them)."""
    for problem in problems:
        yield str(problem)
