"""Reunify's own removal episodes and placements as a source for the outcome calculations, in the
shape of the `reference/cfsr.md` §11 extract, so one calculation serves both sources.

How the rows travel: the two §11 tables are read with plain SQL straight into Arrow.
- Normally through the ADBC drivers (`adbc_driver_sqlite` for SQLite, `adbc_driver_postgresql`
  for PostgreSQL), on a new connection built from `connections["default"].settings_dict`.
  Nothing is downloaded at run time.
- Through Django's own connection cursor (then into Arrow) when a second connection could not
  see the data: an in-memory SQLite database (the test settings), or a caller inside a
  transaction (`atomic`, and so every pytest-django test that is not `transaction=True`), whose
  uncommitted rows another connection would miss. The SQL is the same; only the cursor differs.
  `via="adbc"` / `via="django"` forces one (tests read the same rows both ways).
SQLite hands dates over as ISO strings (ADBC) or strings/dates (Django); both become Arrow
`date32`, so the tables have the §11 column types whatever the database.

Records: `child_id` is the Person's primary key as text; an episode's discharge reason and a
placement's setting are stored with the §11 codes already (cases.models.DischargeReason,
PlacementSetting); `provider_id` is the ResourceProvider's key as text, "" when none. A child
with no date of birth cannot be placed in a cohort: their records are left out and listed in
`skipped`.

Unit: a supervisor's unit filter keeps the children whose current case (the case of their latest
removal) belongs to the unit. That is the case's `unit`, the same field `cases.permissions`
scopes a supervisor by (a case is only ever reassigned to a worker of its unit). All of a kept
child's episodes in the agency stay, so re-entry still sees the earlier ones.

Groups (`groups.py`) are computed per episode (`episode_groups`, keyed by child and removal
date) and, for the child, from their latest episode (`ChildFacts.groups`). The distance of the
first placement is the one stored on the placement when it was made (haversine from the
custodial parent's home, or as entered); when none was stored it is computed from the case's
parents' home and the provider's address as they are now.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pyarrow as pa
import pyarrow.compute as pc
from django.db import connections

from reunify.cases.models import (
    CaseParticipant,
    FamilyCase,
    ParticipantRole,
    RemovalEpisode,
    ResourceProvider,
)
from reunify.cases.models import (
    Placement as PlacementRow,
)
from reunify.outcomes import groups
from reunify.outcomes.indicators import Episode, Placement, placement_order
from reunify.people.models import Person, PersonRace, Relationship

ADBC = "adbc"
DJANGO = "django"

NO_DATE_OF_BIRTH = "no_date_of_birth"

EPISODE_SCHEMA = pa.schema(
    [
        ("child_id", pa.string()),
        ("date_of_birth", pa.date32()),
        ("episode_start", pa.date32()),
        ("episode_end", pa.date32()),
        ("discharge_reason", pa.string()),
    ]
)
PLACEMENT_SCHEMA = pa.schema(
    [
        ("child_id", pa.string()),
        ("episode_start", pa.date32()),
        ("placement_start", pa.date32()),
        ("placement_end", pa.date32()),
        ("setting", pa.string()),
        ("provider_id", pa.string()),
    ]
)


@dataclass(frozen=True)
class ChildFacts:
    """What the outcome pages need to group and show a child (not part of the extract)."""

    person_id: int
    display_name: str
    date_of_birth: dt.date | None
    race_ethnicity_group: str
    unit_id: int
    case_id: int
    groups: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OwnData:
    episodes: list[Episode]
    placements: list[Placement]
    children: dict[str, ChildFacts]
    episode_groups: dict[tuple[str, dt.date], dict[str, str]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    via: str = DJANGO
    episodes_table: pa.Table = field(default_factory=EPISODE_SCHEMA.empty_table, repr=False)
    placements_table: pa.Table = field(default_factory=PLACEMENT_SCHEMA.empty_table, repr=False)

    def as_arrow(self) -> tuple[pa.Table, pa.Table]:
        """(episodes, placements) with the §11 columns and types (engine.EPISODE_COLUMNS and
        PLACEMENT_COLUMNS): register them in DuckDB and call `engine.compute_relations`."""
        return self.episodes_table, self.placements_table

    def group_of(self, key: str) -> Callable[[Episode], str]:
        """A function giving an episode's group under `key` (groups.KEYS), for survival and
        equity; the child's group when the episode is not known here."""

        def group(episode: Episode) -> str:
            found = self.episode_groups.get((episode.child_id, episode.start))
            if found is None:
                facts = self.children.get(episode.child_id)
                found = facts.groups if facts else {}
            return found.get(key, groups.UNKNOWN)

        return group


# --- reading ------------------------------------------------------------------------------------


def _sql(vendor: str, placeholder: str) -> tuple[str, str]:
    episode = RemovalEpisode._meta.db_table
    case = FamilyCase._meta.db_table
    person = Person._meta.db_table
    placement = PlacementRow._meta.db_table
    real = "DOUBLE PRECISION" if vendor == "postgresql" else "REAL"
    episodes = (
        "SELECT e.child_id, p.date_of_birth, e.removed_on AS episode_start, "  # noqa: S608
        "e.discharged_on AS episode_end, e.discharge_reason, e.case_id, c.unit_id, e.id "
        f"FROM {episode} e JOIN {case} c ON c.id = e.case_id "
        f"JOIN {person} p ON p.id = e.child_id "
        f"WHERE c.agency_id = {placeholder} ORDER BY e.child_id, e.removed_on, e.id"
    )
    placements = (
        "SELECT e.child_id, e.removed_on AS episode_start, pl.started_on AS placement_start, "  # noqa: S608
        "pl.ended_on AS placement_end, pl.setting, pl.provider_id, pl.is_kinship, "
        f"CAST(pl.distance_miles AS {real}) AS distance_miles, e.id AS episode_id "
        f"FROM {placement} pl JOIN {episode} e ON e.id = pl.episode_id "
        f"JOIN {case} c ON c.id = e.case_id "
        f"WHERE c.agency_id = {placeholder} ORDER BY e.child_id, e.removed_on, pl.started_on, pl.id"
    )
    return episodes, placements


def choose_reader() -> str:
    """ADBC unless another connection could not see the data (see the module docstring)."""
    connection = connections["default"]
    if connection.in_atomic_block:
        return DJANGO
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return DJANGO
    if connection.vendor not in ("sqlite", "postgresql"):
        return DJANGO
    return ADBC


def _postgres_uri(settings: dict[str, Any]) -> str:
    user = quote(str(settings.get("USER") or ""), safe="")
    password = quote(str(settings.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "localhost"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgresql://{auth}{host}{port}/{quote(str(settings['NAME']), safe='')}"


def _read_adbc(settings: dict[str, Any], agency_id: int) -> tuple[pa.Table, pa.Table]:
    engine = settings["ENGINE"]
    if engine.endswith("sqlite3"):
        import adbc_driver_sqlite.dbapi as sqlite_dbapi

        connect: Any = lambda: sqlite_dbapi.connect(str(settings["NAME"]))  # noqa: E731
        sqls = _sql("sqlite", "?")
    elif "postgresql" in engine:
        import adbc_driver_postgresql.dbapi as pg_dbapi

        connect = lambda: pg_dbapi.connect(_postgres_uri(settings))  # noqa: E731
        sqls = _sql("postgresql", "$1")
    else:  # pragma: no cover - other engines take the Django route
        raise ValueError(f"No ADBC driver for {engine}")
    tables = []
    with connect() as con, con.cursor() as cursor:
        for sql in sqls:
            cursor.execute(sql, (agency_id,))
            tables.append(cursor.fetch_arrow_table())
    return tables[0], tables[1]


def _read_django(agency_id: int) -> tuple[pa.Table, pa.Table]:
    connection = connections["default"]
    tables = []
    with connection.cursor() as cursor:
        for sql in _sql(connection.vendor, "%s"):
            cursor.execute(sql, [agency_id])
            names = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
            columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
            tables.append(
                pa.table(
                    {
                        name: pa.array(list(values))
                        for name, values in zip(names, columns, strict=True)
                    }
                )
            )
    return tables[0], tables[1]


def _dates(table: pa.Table, names: Sequence[str]) -> pa.Table:
    """Date columns as date32 whether they came as ISO strings, timestamps or dates."""
    for name in names:
        index = table.schema.get_field_index(name)
        column = table.column(index)
        if column.type != pa.date32():
            if pa.types.is_timestamp(column.type):
                column = pc.cast(column, pa.date32())
            else:
                column = pc.cast(pc.cast(column, pa.string()), pa.date32())
            table = table.set_column(index, name, column)
    return table


def _text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.cast(column, pa.string())


def read_tables(
    agency_id: int, *, via: str | None = None, settings: dict[str, Any] | None = None
) -> tuple[pa.Table, pa.Table]:
    """The raw rows (episodes with case and unit, placements with kinship and distance) as
    Arrow tables, dates as date32, keys as integers. `settings` overrides the connection
    settings for the ADBC route."""
    via = via or choose_reader()
    if via == ADBC:
        raw = _read_adbc(settings or connections["default"].settings_dict, agency_id)
    else:
        raw = _read_django(agency_id)
    episodes = _dates(raw[0], ("date_of_birth", "episode_start", "episode_end"))
    placements = _dates(raw[1], ("episode_start", "placement_start", "placement_end"))
    return episodes, placements


def _extract_tables(
    episodes: pa.Table, placements: pa.Table, keep: set[str]
) -> tuple[pa.Table, pa.Table]:
    """The §11 tables for the children in `keep`."""
    wanted = pa.array(sorted(keep), pa.string())
    e_child = _text(episodes.column("child_id"))
    reason = _text(episodes.column("discharge_reason"))
    reason = pc.if_else(pc.equal(reason, ""), pa.scalar(None, pa.string()), reason)
    e_table = pa.table(
        [
            e_child,
            episodes.column("date_of_birth"),
            episodes.column("episode_start"),
            episodes.column("episode_end"),
            reason,
        ],
        schema=EPISODE_SCHEMA,
    ).filter(pc.is_in(e_child, value_set=wanted))
    p_child = _text(placements.column("child_id"))
    provider = pc.fill_null(_text(placements.column("provider_id")), "")
    p_table = pa.table(
        [
            p_child,
            placements.column("episode_start"),
            placements.column("placement_start"),
            placements.column("placement_end"),
            _text(placements.column("setting")),
            provider,
        ],
        schema=PLACEMENT_SCHEMA,
    ).filter(pc.is_in(p_child, value_set=wanted))
    return e_table, p_table


# --- facts and groups ---------------------------------------------------------------------------


def _homes(case_ids: set[int]) -> dict[int, groups.Point]:
    """The home each case's children were removed from: a parent's address with coordinates,
    a custodial parent first (the rule cases.services uses for a placement's distance)."""
    parents = list(
        CaseParticipant.objects.filter(case_id__in=case_ids, role=ParticipantRole.PARENT)
        .filter(person__address__latitude__isnull=False)
        .values_list(
            "case_id", "person_id", "person__address__latitude", "person__address__longitude"
        )
    )
    custodial = set(
        Relationship.objects.filter(
            from_person_id__in={row[1] for row in parents}, is_custodial=True
        ).values_list("from_person_id", flat=True)
    )
    homes: dict[int, groups.Point] = {}
    for case_id, _person_id, lat, lon in sorted(
        parents, key=lambda row: (row[0], row[1] not in custodial, row[1])
    ):
        homes.setdefault(case_id, (float(lat), float(lon)))
    return homes


def _provider_points(provider_ids: set[int]) -> dict[int, groups.Point]:
    return {
        pk: (float(lat), float(lon))
        for pk, lat, lon in ResourceProvider.objects.filter(
            pk__in=provider_ids, address__latitude__isnull=False
        ).values_list("pk", "address__latitude", "address__longitude")
    }


def own_data(
    agency_id: int,
    *,
    unit_id: int | None = None,
    via: str | None = None,
    settings: dict[str, Any] | None = None,
) -> OwnData:
    """The agency's removal episodes and placements as §11 records, with the facts and groups
    of each child; only the children of `unit_id` when it is given. `via` and `settings` as in
    `read_tables` (both optional; by default the reader is chosen as the module docstring says)."""
    via = via or choose_reader()
    raw_episodes, raw_placements = read_tables(agency_id, via=via, settings=settings)
    rows = raw_episodes.to_pylist()

    # Each child's latest episode decides their case and unit.
    latest: dict[int, dict[str, Any]] = {}
    for row in rows:  # ordered by child, removal date, id
        latest[row["child_id"]] = row
    kept = {child for child, row in latest.items() if unit_id is None or row["unit_id"] == unit_id}
    skipped = {
        str(child): NO_DATE_OF_BIRTH for child in kept if latest[child]["date_of_birth"] is None
    }
    kept -= {int(child) for child in skipped}
    keep_text = {str(child) for child in kept}
    episodes_table, placements_table = _extract_tables(raw_episodes, raw_placements, keep_text)

    episodes = [
        Episode(
            child_id=r["child_id"],
            date_of_birth=r["date_of_birth"],
            start=r["episode_start"],
            end=r["episode_end"],
            reason=r["discharge_reason"],
        )
        for r in episodes_table.to_pylist()
    ]
    placements = [
        Placement(
            child_id=r["child_id"],
            episode_start=r["episode_start"],
            start=r["placement_start"],
            end=r["placement_end"],
            setting=r["setting"],
            provider_id=r["provider_id"],
        )
        for r in placements_table.to_pylist()
    ]

    # First placement of each episode, with its kinship flag and stored distance.
    first: dict[int, dict[str, Any]] = {}
    for row in raw_placements.to_pylist():
        if row["child_id"] not in kept:
            continue
        key = row["episode_id"]
        current = first.get(key)
        if current is None or _order(row) < _order(current):
            first[key] = row
    case_of_episode = {row["id"]: row["case_id"] for row in rows if row["child_id"] in kept}
    homes = _homes(set(case_of_episode.values()))
    providers = _provider_points(
        {row["provider_id"] for row in first.values() if row["provider_id"] is not None}
    )

    people = {
        pk: (name_parts, hispanic)
        for pk, *name_parts, hispanic in Person.objects.filter(pk__in=kept).values_list(
            "pk", "first_name", "middle_name", "last_name", "hispanic_ethnicity"
        )
    }
    races: dict[int, list[str]] = defaultdict(list)
    for person_id, race in PersonRace.objects.filter(person_id__in=kept).values_list(
        "person_id", "race"
    ):
        races[person_id].append(race)
    race_group = {
        pk: groups.race_ethnicity_group(hispanic_ethnicity=hispanic, races=races[pk])
        for pk, (_name, hispanic) in people.items()
    }

    episode_groups: dict[tuple[str, dt.date], dict[str, str]] = {}
    by_episode_id: dict[int, dict[str, str]] = {}
    for row in rows:
        child = row["child_id"]
        if child not in kept:
            continue
        placement = first.get(row["id"])
        distance = placement["distance_miles"] if placement else None
        if placement is not None and distance is None:
            distance = groups.miles(
                homes.get(row["case_id"]), providers.get(placement["provider_id"])
            )
        found = {
            groups.AGE: groups.age_group(
                date_of_birth=row["date_of_birth"], on=row["episode_start"]
            ),
            groups.RACE_ETHNICITY: race_group.get(child, groups.UNKNOWN),
            groups.PLACEMENT_TYPE: groups.placement_type(
                setting=placement["setting"] if placement else None,
                is_kinship=bool(placement["is_kinship"]) if placement else False,
            ),
            groups.DISTANCE: groups.distance_band(distance if placement else None),
        }
        episode_groups[(str(child), row["episode_start"])] = found
        by_episode_id[row["id"]] = found

    children = {}
    for child in sorted(kept):
        row = latest[child]
        name_parts, _hispanic = people[child]
        children[str(child)] = ChildFacts(
            person_id=child,
            display_name=" ".join(part for part in name_parts if part),
            date_of_birth=row["date_of_birth"],
            race_ethnicity_group=race_group.get(child, groups.UNKNOWN),
            unit_id=row["unit_id"],
            case_id=row["case_id"],
            groups=by_episode_id[row["id"]],
        )
    return OwnData(
        episodes=episodes,
        placements=placements,
        children=children,
        episode_groups=episode_groups,
        skipped=skipped,
        via=via,
        episodes_table=episodes_table,
        placements_table=placements_table,
    )


def _order(row: dict[str, Any]) -> tuple[dt.date, dt.date, str, str]:
    """The order `indicators` sorts an episode's placements in (earliest first)."""
    return placement_order(
        Placement(
            child_id="",
            episode_start=row["episode_start"],
            start=row["placement_start"],
            end=row["placement_end"],
            setting=row["setting"],
            provider_id="" if row["provider_id"] is None else str(row["provider_id"]),
        )
    )
