"""The HSDS schema Reunify reads, and the checks of single values. Pure: no Django.

`TABLES` is the schema written down: for each HSDS table, the file names accepted and every
column read with its type, whether it is required, its length, its choices and the table its
reference points to. `check_value` turns one cell into a typed value or a `Problem`. The other
checks (unique ids, references, rules across columns) are in `reunify.services.hsds`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from reunify.core.marks import gettext_noop
from reunify.services import categories

MAX_BYTES = 100 * 1024 * 1024  # uncompressed size of every file read together
MAX_ROWS = 250_000  # rows in one file
MAX_PROBLEMS = 200  # problems reported; the count of the rest is added
COORDINATES = Decimal("0.000001")

# ---- messages (translated where they are shown) ------------------------------------------------

NOT_A_PACKAGE = gettext_noop(
    "This is neither a .zip of HSDS CSV files, a folder of them, nor an HSDS JSON file."
)
BAD_ZIP = gettext_noop("The .zip file cannot be read.")
TOO_LARGE = gettext_noop("The files are larger than %(limit)s MB uncompressed.")
TOO_MANY_ROWS = gettext_noop("The file has more than %(limit)s rows.")
FILE_MISSING = gettext_noop("The file is missing: every package needs it.")
FILE_TWICE = gettext_noop("The package holds two files with this name.")
NOT_UTF8 = gettext_noop("The file is not UTF-8 text.")
BAD_CSV = gettext_noop("The file is not valid CSV: %(error)s.")
BAD_JSON = gettext_noop("The file is not valid JSON: %(error)s.")
JSON_SHAPE = gettext_noop("Expected a list of HSDS service objects.")
JSON_OBJECT = gettext_noop("Expected an object.")
JSON_LIST = gettext_noop("Expected a list.")
JSON_VALUE = gettext_noop("Expected a text, number or true/false value.")
EMPTY = gettext_noop("The file has no rows.")
COLUMN_MISSING = gettext_noop("The required column is missing.")
COLUMN_TWICE = gettext_noop("The column appears twice in the header.")
EXTRA_CELLS = gettext_noop("The row has more cells than the header has columns.")
REQUIRED = gettext_noop("A value is required.")
TOO_LONG = gettext_noop("At most %(limit)s characters (it has %(length)s).")
NOT_ID = gettext_noop("An id is text of at most 100 characters without spaces.")
NOT_NUMBER = gettext_noop("“%(value)s” is not a number.")
NOT_INTEGER = gettext_noop("“%(value)s” is not a whole number.")
OUT_OF_RANGE = gettext_noop("%(value)s is outside %(low)s to %(high)s.")
NOT_BOOLEAN = gettext_noop("“%(value)s” is not true or false.")
NOT_CHOICE = gettext_noop("“%(value)s” is not one of: %(choices)s.")
NOT_EMAIL = gettext_noop("“%(value)s” is not an e-mail address.")
NOT_URL = gettext_noop("“%(value)s” is not a web address starting with http:// or https://.")
NOT_TIME = gettext_noop("“%(value)s” is not a time such as 09:00 or 17:30:00Z.")
NOT_DATE = gettext_noop("“%(value)s” is not a date in the form YYYY-MM-DD.")
NOT_BYDAY = gettext_noop("“%(value)s” is not a list of days such as MO,TU,WE or 1SA.")
NOT_WEEKDAY = gettext_noop("“%(value)s” is not a weekday (1 = Monday to 7 = Sunday).")
NOT_LANGUAGE = gettext_noop("“%(value)s” is not an ISO 639 language code or a known language.")
NOT_CATEGORY = gettext_noop("“%(value)s” is not a Reunify need category.")
DUPLICATE_ID = gettext_noop("The id “%(value)s” is used again (first on %(first)s).")
DUPLICATE_LINK = gettext_noop("This service is already linked to this location (%(first)s).")
DANGLING = gettext_noop("No %(table)s has the id “%(value)s”.")
HALF_COORDINATES = gettext_noop("Give both latitude and longitude, or neither.")
ORPHAN_PHONE = gettext_noop("A phone needs a service, location or organization id.")
ORPHAN_SCHEDULE = gettext_noop("A schedule needs a service, location or service-at-location id.")
ORPHAN_LANGUAGE = gettext_noop("A language row needs a service, location or phone id.")
LANGUAGE_UNNAMED = gettext_noop("A language row needs a name or a code.")
AGES = gettext_noop("The minimum age is above the maximum age.")
MORE_PROBLEMS = gettext_noop("…and %(count)s more problems.")

# ---- where a problem is ----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One reason to refuse the directory: where (file, row or JSON item, field) and what."""

    file: str
    row: int | None
    field: str
    message: str  # a gettext_noop constant; `params` fill its %(name)s placeholders
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    unit: str = "row"  # "row" in a CSV file (the header is row 1), "item" in a JSON list

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"{self.unit} {self.row}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: {self.message % dict(self.params)}"


class HsdsError(Exception):
    """The directory was refused; `problems` says why, in file and row order."""

    def __init__(self, problems: list[Problem], *, more: int = 0) -> None:
        self.problems = problems
        self.more = more
        super().__init__("\n".join(str(p) for p in problems[:5]))


@dataclass(frozen=True)
class Origin:
    file: str
    row: int
    unit: str = "row"
    prefix: str = ""  # JSON: the path of the nested object, e.g. "service_at_locations[0].location"

    def problem(self, name: str, message: str, **params: Any) -> Problem:
        return Problem(self.file, self.row, f"{self.prefix}{name}", message, params, self.unit)

    def label(self) -> str:
        return f"{self.file} {self.unit} {self.row}"


# ---- the schema --------------------------------------------------------------------------------

TEXT, ID, REF, NUMBER, INTEGER, BOOLEAN, ENUM = (
    "text",
    "id",
    "ref",
    "number",
    "integer",
    "bool",
    "enum",
)
EMAIL, URL, TIME, DATE, BYDAY, LANGUAGE, WEEKDAY = (
    "email",
    "url",
    "time",
    "date",
    "byday",
    "lang",
    "wd",
)
CATEGORY_LIST = "categories"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT
    required: bool = False
    max_length: int = 0  # 0: unlimited
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    table: str = ""  # REF: the table whose id this names
    aliases: tuple[str, ...] = ()  # other (older HSDS) names of the column


@dataclass(frozen=True)
class Table:
    key: str
    files: tuple[str, ...]  # accepted file names, the HSDS 3.0 one first
    columns: tuple[Column, ...]
    required: bool = False
    singular: str = ""

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


SERVICE_STATUS = ("active", "inactive", "defunct", "temporarily closed")
COSTS = ("free", "sliding_scale", "fee")
LOCATION_TYPES = ("physical", "postal", "virtual")
PHONE_TYPES = ("text", "voice", "fax", "cell", "video", "pager", "textphone")
FREQUENCIES = ("WEEKLY", "MONTHLY")


def _id(required: bool = True) -> Column:
    return Column("id", ID, required=required)


def _ref(name: str, table: str, required: bool = False) -> Column:
    return Column(name, REF, required=required, table=table)


TABLES: tuple[Table, ...] = (
    Table(
        "organizations",
        ("organizations.csv", "organization.csv"),
        (
            _id(),
            Column("name", required=True, max_length=250),
            Column("description"),
            Column("email", EMAIL, max_length=254),
            Column("website", URL, max_length=500, aliases=("url",)),
        ),
        required=True,
        singular="organization",
    ),
    Table(
        "services",
        ("services.csv", "service.csv"),
        (
            _id(),
            _ref("organization_id", "organizations", required=True),
            Column("name", required=True, max_length=250),
            Column("alternate_name", max_length=250),
            Column("description"),
            Column("url", URL, max_length=500),
            Column("email", EMAIL, max_length=254),
            Column("status", ENUM, required=True, choices=SERVICE_STATUS),
            Column("interpretation_services"),
            Column("application_process"),
            Column("fees_description", aliases=("fees",)),
            Column("eligibility_description"),
            Column("minimum_age", INTEGER, low=0, high=130),
            Column("maximum_age", INTEGER, low=0, high=130),
            Column("accepting_new_clients", BOOLEAN),
            Column("cost", ENUM, choices=COSTS),
            Column("category", CATEGORY_LIST),
        ),
        required=True,
        singular="service",
    ),
    Table(
        "locations",
        ("locations.csv", "location.csv"),
        (
            _id(),
            _ref("organization_id", "organizations"),
            Column("name", max_length=250),
            Column("description"),
            Column("location_type", ENUM, choices=LOCATION_TYPES),
            Column("latitude", NUMBER, low=-90, high=90),
            Column("longitude", NUMBER, low=-180, high=180),
            # Reunify's convenience: the physical address on the location row itself.
            Column("address_1", max_length=200),
            Column("address_2", max_length=200),
            Column("city", max_length=100),
            Column("state_province", max_length=100),
            Column("postal_code", max_length=20),
        ),
        singular="location",
    ),
    Table(
        "addresses",
        ("addresses.csv", "address.csv", "physical_addresses.csv"),
        (
            _id(),
            _ref("location_id", "locations", required=True),
            Column("address_1", required=True, max_length=200),
            Column("address_2", max_length=200),
            Column("city", required=True, max_length=100),
            Column("state_province", required=True, max_length=100),
            Column("postal_code", max_length=20),
            Column("country", max_length=2),
            Column("address_type", ENUM, choices=LOCATION_TYPES),
        ),
        singular="address",
    ),
    Table(
        "service_at_locations",
        (
            "service_at_locations.csv",
            "service_at_location.csv",
            "services_at_location.csv",
            "services_at_locations.csv",
        ),
        (
            _id(),
            _ref("service_id", "services", required=True),
            _ref("location_id", "locations", required=True),
            Column("description"),
        ),
        singular="service at location",
    ),
    Table(
        "phones",
        ("phones.csv", "phone.csv"),
        (
            _id(),
            Column("number", required=True, max_length=50),
            Column("extension", max_length=20),
            Column("type", ENUM, choices=PHONE_TYPES),
            Column("description", max_length=300),
            Column("language", LANGUAGE),
            _ref("service_id", "services"),
            _ref("location_id", "locations"),
            _ref("organization_id", "organizations"),
            _ref("service_at_location_id", "service_at_locations"),
        ),
        singular="phone",
    ),
    Table(
        "schedules",
        ("schedules.csv", "schedule.csv", "regular_schedules.csv"),
        (
            _id(),
            _ref("service_id", "services"),
            _ref("location_id", "locations"),
            _ref("service_at_location_id", "service_at_locations"),
            Column("freq", ENUM, choices=FREQUENCIES),
            Column("byday", BYDAY),
            Column("weekday", WEEKDAY),  # HSDS 2.0 regular_schedules.csv
            Column("opens_at", TIME),
            Column("closes_at", TIME),
            Column("description", max_length=500),
            Column("valid_from", DATE),
            Column("valid_to", DATE),
        ),
        singular="schedule",
    ),
    Table(
        "languages",
        ("languages.csv", "language.csv"),
        (
            _id(),
            _ref("service_id", "services"),
            _ref("location_id", "locations"),
            _ref("phone_id", "phones"),
            Column("name", max_length=100, aliases=("language",)),
            Column("code", LANGUAGE),
            Column("note"),
        ),
        singular="language",
    ),
    Table(
        "taxonomy_terms",
        ("taxonomy_terms.csv", "taxonomy_term.csv", "taxonomy.csv"),
        (
            _id(),
            Column("name", required=True, max_length=250),
            Column("code", max_length=100),
            Column("description"),
            Column("taxonomy", max_length=250, aliases=("vocabulary",)),
            Column("parent_id", max_length=100),
            Column("category", CATEGORY_LIST),  # Reunify's extension: the need category itself
        ),
        singular="taxonomy term",
    ),
    Table(
        "service_taxonomies",
        ("service_taxonomies.csv", "service_attributes.csv", "attributes.csv"),
        (
            _id(required=False),
            _ref("service_id", "services", required=True),
            _ref("taxonomy_term_id", "taxonomy_terms", required=True),
        ),
        singular="service taxonomy",
    ),
    Table(
        "eligibility",
        ("eligibility.csv", "eligibilities.csv"),
        (_id(required=False), _ref("service_id", "services", required=True), Column("eligibility")),
        singular="eligibility",
    ),
)
BY_TABLE: dict[str, Table] = {t.key: t for t in TABLES}

# ---- languages ---------------------------------------------------------------------------------

LANGUAGE_NAMES: dict[str, str] = {
    "en": gettext_noop("English"),
    "es": gettext_noop("Spanish"),
    "vi": gettext_noop("Vietnamese"),
    "pt": gettext_noop("Portuguese"),
    "zh": gettext_noop("Chinese"),
    "ko": gettext_noop("Korean"),
    "ru": gettext_noop("Russian"),
    "uk": gettext_noop("Ukrainian"),
    "ar": gettext_noop("Arabic"),
    "so": gettext_noop("Somali"),
    "tl": gettext_noop("Tagalog"),
    "fr": gettext_noop("French"),
    "ht": gettext_noop("Haitian Creole"),
    "am": gettext_noop("Amharic"),
    "pa": gettext_noop("Punjabi"),
    "hi": gettext_noop("Hindi"),
    "ja": gettext_noop("Japanese"),
    "hmn": gettext_noop("Hmong"),
    "ase": gettext_noop("American Sign Language"),
}
_LANGUAGE_WORDS: dict[str, str] = {
    **{name.lower(): code for code, name in LANGUAGE_NAMES.items()},
    "español": "es",
    "espanol": "es",
    "castellano": "es",
    "mandarin": "zh",
    "cantonese": "zh",
    "asl": "ase",
    "tiếng việt": "vi",
    "português": "pt",
}
# ISO 639-2/639-3 codes of languages that have a 639-1 code, so one language has one code.
_THREE_LETTER: dict[str, str] = {
    "eng": "en",
    "spa": "es",
    "vie": "vi",
    "por": "pt",
    "zho": "zh",
    "chi": "zh",
    "cmn": "zh",
    "yue": "zh",
    "kor": "ko",
    "rus": "ru",
    "ukr": "uk",
    "ara": "ar",
    "som": "so",
    "tgl": "tl",
    "fra": "fr",
    "fre": "fr",
    "hat": "ht",
    "amh": "am",
    "pan": "pa",
    "hin": "hi",
    "jpn": "ja",
}
_LANGUAGE_CODE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})*$")


def language_code(value: str) -> str | None:
    """An ISO 639-1 code (639-3 where there is none) for a code or a known language name."""
    text = value.strip()
    if not text:
        return None
    if found := _LANGUAGE_WORDS.get(text.lower()):
        return found
    match = _LANGUAGE_CODE.match(text)
    if not match:
        return None
    primary = match.group(1).lower()
    return _THREE_LETTER.get(primary, primary)


# ---- value checks ------------------------------------------------------------------------------

_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BYDAY = re.compile(r"^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_ID = re.compile(r"^\S{1,100}$")
_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAY_NAMES = {
    **dict(zip(("monday", "tuesday", "wednesday", "thursday", "friday"), _WEEKDAYS, strict=False)),
    **dict(zip(("saturday", "sunday"), _WEEKDAYS[5:], strict=True)),
    **dict(zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), _WEEKDAYS, strict=True)),
}


def _enum(value: str, choices: tuple[str, ...]) -> str | None:
    wanted = value.strip().lower().replace("_", " ")
    for choice in choices:
        if choice.lower().replace("_", " ") == wanted:
            return choice
    return None


def check_value(column: Column, raw: str, origin: Origin, problems: list[Problem]) -> Any:
    """The typed value of one cell, or None (with a problem added) when it is not valid."""
    value = raw.strip()
    name = column.name

    def bad(message: str, **params: Any) -> None:
        problems.append(origin.problem(name, message, **params))

    if not value:
        if column.required:
            bad(REQUIRED)
        return None
    kind = column.kind
    if column.max_length and kind in (TEXT, EMAIL, URL) and len(value) > column.max_length:
        bad(TOO_LONG, limit=column.max_length, length=len(value))
        return None
    if kind in (ID, REF):
        if not _ID.match(value):
            bad(NOT_ID)
            return None
        return value
    if kind == TEXT:
        return value
    if kind in (NUMBER, INTEGER):
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            bad(NOT_NUMBER, value=value)
            return None
        if kind == INTEGER and number != number.to_integral_value():
            bad(NOT_INTEGER, value=value)
            return None
        if (column.low is not None and number < Decimal(str(column.low))) or (
            column.high is not None and number > Decimal(str(column.high))
        ):
            bad(OUT_OF_RANGE, value=value, low=column.low, high=column.high)
            return None
        return int(number) if kind == INTEGER else number.quantize(COORDINATES)
    if kind == BOOLEAN:
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        bad(NOT_BOOLEAN, value=value)
        return None
    if kind == ENUM:
        found = _enum(value, column.choices)
        if found is None:
            bad(NOT_CHOICE, value=value, choices=", ".join(column.choices))
        return found
    if kind == EMAIL:
        if not _EMAIL.match(value):
            bad(NOT_EMAIL, value=value)
            return None
        return value
    if kind == URL:
        if not _URL.match(value):
            bad(NOT_URL, value=value)
            return None
        return value
    if kind == TIME:
        return _time(value, bad)
    if kind == DATE:
        try:
            if not _DATE.match(value):
                raise ValueError(value)
            return dt.date.fromisoformat(value)
        except ValueError:
            bad(NOT_DATE, value=value)
            return None
    if kind == BYDAY:
        days = [d.strip().upper() for d in value.split(",") if d.strip()]
        if not days or not all(_BYDAY.match(d) for d in days):
            bad(NOT_BYDAY, value=value)
            return None
        return ",".join(days)
    if kind == WEEKDAY:
        if value.isdigit() and 1 <= int(value) <= 7:
            return _WEEKDAYS[int(value) - 1]
        if found_day := _WEEKDAY_NAMES.get(value.lower()):
            return found_day
        bad(NOT_WEEKDAY, value=value)
        return None
    if kind == LANGUAGE:
        code = language_code(value)
        if code is None:
            bad(NOT_LANGUAGE, value=value)
        return code
    if kind == CATEGORY_LIST:
        keys = []
        for part in re.split(r"[;|]", value):
            if not part.strip():
                continue
            key = categories.category_for_key(part)
            if key is None:
                bad(NOT_CATEGORY, value=part.strip())
                return None
            keys.append(key)
        return tuple(sorted(set(keys)))
    raise AssertionError(kind)  # pragma: no cover - every kind is handled above


def _time(value: str, bad: Any) -> dt.time | None:
    """The clock time as written; an offset or Z is accepted and not applied (a service's hours
    are read as the time at the service)."""
    match = _TIME.match(value)
    if match:
        hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
        if hours <= 23 and minutes <= 59 and seconds <= 59:
            return dt.time(hours, minutes, seconds)
        if (hours, minutes, seconds) == (24, 0, 0):
            return dt.time(23, 59, 59)
    bad(NOT_TIME, value=value)
    return None


@dataclass
class RawRow:
    origin: Origin
    values: dict[str, str]


@dataclass
class RawTable:
    table: Table
    file: str
    columns: tuple[str, ...] | None  # the CSV header (None for JSON)
    rows: list[RawRow] = dataclasses.field(default_factory=list)


class Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def raise_if_any(self) -> None:
        if self.problems:
            shown = self.problems[:MAX_PROBLEMS]
            raise HsdsError(shown, more=len(self.problems) - len(shown))


def column_name(table: Table, header: str) -> str:
    name = header.strip().lower()
    for column in table.columns:
        if name == column.name or name in column.aliases:
            return column.name
    if table.key == "service_taxonomies" and name == "link_id":
        return "service_id"  # HSDS 3.0 attributes.csv: link_id names the service
    return name
