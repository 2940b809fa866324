"""Reunify's own episodes and placements as an indicator source: the same Report as the same
records written as a §11 extract, through Django's cursor and through ADBC alike."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from django.db import connection

from reunify.cases import services
from reunify.cases.models import (
    DischargeReason,
    PlacementEndReason,
    PlacementSetting,
    RemovalEpisode,
    ResourceProvider,
)
from reunify.cases.models import Placement as PlacementRow
from reunify.cases.tests.factories import (
    AddressFactory,
    ProviderFactory,
    UserFactory,
    child_input,
    open_case,
)
from reunify.outcomes import engine, equity, groups, indicators, source, survival
from reunify.outcomes.indicators import Episode, Placement
from reunify.people.models import HispanicEthnicity, Person, PersonRace, Race

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)
PERIOD = dt.date(2025, 1, 1)


def _discharge(worker, episode, on, reason=DischargeReason.REUNIFICATION):
    episode = RemovalEpisode.objects.get(pk=episode.pk)
    services.episode_discharge(
        actor=worker,
        episode=episode,
        expected_version=episode.version,
        discharged_on=on,
        reason=reason,
        today=TODAY,
    )


def _move(worker, episode, on, setting, provider=None):
    episode = RemovalEpisode.objects.get(pk=episode.pk)
    services.placement_change(
        actor=worker,
        episode=episode,
        expected_version=episode.version,
        end_reason=PlacementEndReason.CHILD_NEEDS,
        data=services.PlacementInput(setting=setting, started_on=on, provider=provider),
        today=TODAY,
    )


@pytest.fixture
def demo(caseworker, other_unit):
    """A small agency: reunifications within and after 12 months, a move to kin, a trial home
    visit before reunification, a re-entry, a short stay, a child still in care in another
    unit, and a child with no date of birth."""
    worker = caseworker
    kin = ProviderFactory(agency=worker.agency, kind=ResourceProvider.Kind.KIN_FAMILY)
    far = ProviderFactory(
        agency=worker.agency,
        address=AddressFactory(latitude=Decimal("39.100000"), longitude=Decimal("-94.600000")),
    )
    a = open_case(worker=worker, children=2, opened_on=dt.date(2025, 1, 10), today=TODAY)
    first, second = a.episodes.order_by("child__date_of_birth")
    _discharge(worker, first, dt.date(2025, 6, 1))
    _move(worker, second, dt.date(2025, 3, 1), PlacementSetting.FOSTER_FAMILY_RELATIVE, kin)
    _discharge(worker, second, dt.date(2026, 3, 1))
    removal = child_input(provider=kin, removed_on=dt.date(2025, 9, 1)).removal
    services.removal_record(
        actor=worker, case=a, child=first.child, data=removal, today=TODAY
    )  # re-entry three months after reunification

    b = open_case(worker=worker, opened_on=dt.date(2025, 2, 15), today=TODAY)
    thv = b.episodes.get()
    _move(worker, thv, dt.date(2025, 8, 1), PlacementSetting.TRIAL_HOME_VISIT)
    _discharge(worker, thv, dt.date(2025, 10, 15))

    c = open_case(worker=worker, opened_on=dt.date(2025, 4, 1), today=TODAY)
    _discharge(worker, c.episodes.get(), dt.date(2025, 4, 5), DischargeReason.LIVING_WITH_RELATIVE)

    other_worker = UserFactory(unit=other_unit)
    d = open_case(worker=other_worker, opened_on=dt.date(2025, 3, 1), today=TODAY)
    open_episode = d.episodes.get()
    _move(worker, open_episode, dt.date(2025, 5, 1), PlacementSetting.GROUP_HOME, far)
    child = open_episode.child
    child.hispanic_ethnicity = HispanicEthnicity.NO
    child.save()
    PersonRace.objects.create(person=child, race=Race.BLACK)
    PersonRace.objects.create(person=child, race=Race.WHITE)

    e = open_case(worker=worker, opened_on=dt.date(2025, 5, 1), today=TODAY)
    Person.objects.filter(pk=e.episodes.get().child_id).update(date_of_birth=None)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "worker": worker}


def _records_from_orm(agency_id: int) -> tuple[list[Episode], list[Placement]]:
    """The same records, written out independently of `source` through the ORM."""
    episodes = [
        Episode(
            child_id=str(e.child_id),
            date_of_birth=e.child.date_of_birth,
            start=e.removed_on,
            end=e.discharged_on,
            reason=e.discharge_reason or None,
        )
        for e in RemovalEpisode.objects.filter(case__agency_id=agency_id).select_related("child")
        if e.child.date_of_birth is not None
    ]
    placements = [
        Placement(
            child_id=str(p.episode.child_id),
            episode_start=p.episode.removed_on,
            start=p.started_on,
            end=p.ended_on,
            setting=p.setting,
            provider_id=str(p.provider_id or ""),
        )
        for p in PlacementRow.objects.filter(episode__case__agency_id=agency_id).select_related(
            "episode__child"
        )
        if p.episode.child.date_of_birth is not None
    ]
    return episodes, placements


def test_own_data_gives_the_same_report_as_the_extract(demo, tmp_path: Path):
    # Given the demo agency written out as a §11 extract
    agency_id = demo["worker"].agency_id
    episodes_csv, placements_csv = engine.write_csv_pair(tmp_path, *_records_from_orm(agency_id))
    expected = engine.compute_csv(episodes_csv, placements_csv, period_start=PERIOD, as_of=TODAY)

    # When Reunify's own data are read
    own = source.own_data(agency_id)

    # Then the pure rules and DuckDB on the Arrow tables give the extract's report
    assert indicators.compute(own.episodes, own.placements, period_start=PERIOD, as_of=TODAY) == (
        expected
    )
    con = duckdb.connect()
    episodes_table, placements_table = own.as_arrow()
    con.register("own_episodes", episodes_table)
    con.register("own_placements", placements_table)
    got = engine.compute_relations(
        con,
        episodes="own_episodes",
        placements="own_placements",
        period_start=PERIOD,
        as_of=TODAY,
    )
    assert got == expected
    # and the demo exercises the indicators (not a vacuous agreement)
    p1 = expected.results[indicators.PERM12_ENTRIES]
    assert p1.denominator == 4
    assert p1.numerator == 2  # first child in 5 months; the THV child within 12 months
    assert set(p1.excluded.values()) == {indicators.UNDER_8_DAYS}
    assert expected.results[indicators.REENTRY_12M].numerator == 1


def test_arrow_tables_have_the_extract_columns_and_types(demo):
    # When
    own = source.own_data(demo["worker"].agency_id)
    episodes_table, placements_table = own.as_arrow()

    # Then
    assert episodes_table.schema == source.EPISODE_SCHEMA
    assert placements_table.schema == source.PLACEMENT_SCHEMA
    assert list(episodes_table.column_names) == list(engine.EPISODE_COLUMNS)
    assert list(placements_table.column_names) == list(engine.PLACEMENT_COLUMNS)
    assert episodes_table.num_rows == len(own.episodes) == 6
    assert None in episodes_table.column("discharge_reason").to_pylist()  # open: null, not ""
    assert "" in placements_table.column("provider_id").to_pylist()  # THV: no provider


@pytest.mark.django_db(transaction=True)
def test_adbc_reads_what_the_django_cursor_reads(demo, tmp_path: Path):
    # Given a database another connection can open: on PostgreSQL the test database itself (this
    # test commits); on SQLite the in-memory test database copied to a file (outside a
    # transaction: SQLite's backup waits for an open write transaction to end)
    assert not connection.in_atomic_block
    agency_id = demo["worker"].agency_id
    if connection.vendor == "postgresql":
        settings = dict(connection.settings_dict)
    else:
        path = tmp_path / "copy.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        settings = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}

    # When the rows are read through ADBC and through Django's cursor
    by_adbc = source.own_data(agency_id, via=source.ADBC, settings=settings)
    by_django = source.own_data(agency_id, via=source.DJANGO)

    # Then they are the same, and the ADBC dates arrived as strings and became dates
    assert by_adbc.via == source.ADBC
    assert by_adbc.as_arrow()[0].equals(by_django.as_arrow()[0])
    assert by_adbc.as_arrow()[1].equals(by_django.as_arrow()[1])
    assert by_adbc.episodes == by_django.episodes
    assert by_adbc.placements == by_django.placements
    assert by_adbc.children == by_django.children


def test_tests_inside_a_transaction_read_through_django():
    assert source.choose_reader() == source.DJANGO


def test_unit_filter_keeps_children_whose_current_case_is_in_the_unit(demo, unit, other_unit):
    # When
    mine = source.own_data(demo["worker"].agency_id, unit_id=unit.pk)
    theirs = source.own_data(demo["worker"].agency_id, unit_id=other_unit.pk)

    # Then
    d_child = str(demo["d"].episodes.get().child_id)
    assert d_child not in mine.children
    assert {e.child_id for e in mine.episodes} == set(mine.children)
    assert list(theirs.children) == [d_child]
    assert [e.child_id for e in theirs.episodes] == [d_child]
    assert {p.child_id for p in theirs.placements} == {d_child}


def test_child_without_date_of_birth_is_skipped(demo):
    own = source.own_data(demo["worker"].agency_id)
    e_child = str(demo["e"].episodes.get().child_id)
    assert own.skipped == {e_child: source.NO_DATE_OF_BIRTH}
    assert e_child not in own.children
    assert all(e.child_id != e_child for e in own.episodes)


def test_child_facts_and_groups(demo):
    # When
    own = source.own_data(demo["worker"].agency_id)

    # Then the child in the other unit: two races, placed first in a non-relative home
    d_episode = demo["d"].episodes.get()
    facts = own.children[str(d_episode.child_id)]
    assert facts.person_id == d_episode.child_id
    assert facts.case_id == demo["d"].pk
    assert facts.unit_id == demo["d"].unit_id
    assert facts.display_name == d_episode.child.full_name
    assert facts.race_ethnicity_group == groups.TWO_OR_MORE
    assert facts.groups == {
        groups.AGE: groups.AGE_6_12,  # born 2015-03-01, removed 2025-03-01: 10
        groups.RACE_ETHNICITY: groups.TWO_OR_MORE,
        groups.PLACEMENT_TYPE: groups.NON_RELATIVE,
        groups.DISTANCE: groups.MIDDLE,  # factory home and provider: about 8.6 miles apart
    }
    # The re-entered child: the latest episode began with kin; the first one did not
    a_first = demo["a"].episodes.order_by("child__date_of_birth", "removed_on").first()
    child_id = str(a_first.child_id)
    assert own.children[child_id].groups[groups.PLACEMENT_TYPE] == groups.KIN
    assert own.episode_groups[(child_id, dt.date(2025, 1, 10))][groups.PLACEMENT_TYPE] == (
        groups.NON_RELATIVE
    )
    by_episode = own.group_of(groups.PLACEMENT_TYPE)
    first_episode = next(
        e for e in own.episodes if e.child_id == child_id and e.start == dt.date(2025, 1, 10)
    )
    assert by_episode(first_episode) == groups.NON_RELATIVE
    # No race recorded: unknown
    b_child = str(demo["b"].episodes.get().child_id)
    assert own.children[b_child].race_ethnicity_group == groups.UNKNOWN


def test_distance_computed_from_addresses_when_none_was_stored(demo):
    # Given the first placement of the THV child stored without a distance
    b_episode = demo["b"].episodes.get()
    PlacementRow.objects.filter(episode=b_episode).update(distance_miles=None)
    first = PlacementRow.objects.filter(episode=b_episode).order_by("started_on").first()
    first.provider.address.latitude = Decimal("38.600000")
    first.provider.address.longitude = Decimal("-90.900000")  # about 38 miles west of home
    first.provider.address.save()

    # When
    own = source.own_data(demo["worker"].agency_id)

    # Then the band comes from the parents' home and the provider's address
    assert own.children[str(b_episode.child_id)].groups[groups.DISTANCE] == groups.FAR


def test_other_agencies_are_not_read(demo):
    other = UserFactory()
    open_case(worker=other, opened_on=dt.date(2025, 1, 10), today=TODAY)
    own = source.own_data(demo["worker"].agency_id)
    assert len(own.children) == 5
    assert source.own_data(other.agency_id).episodes[0].child_id not in own.children


def test_an_agency_with_no_episodes():
    from reunify.cases.tests.factories import AgencyFactory

    own = source.own_data(AgencyFactory().pk)
    assert (own.episodes, own.placements, own.children, own.skipped) == ([], [], {}, {})
    assert own.as_arrow()[0].schema == source.EPISODE_SCHEMA
    assert own.as_arrow()[1].num_rows == 0


def test_own_data_feeds_survival_and_equity_by_group(demo):
    # Given
    own = source.own_data(demo["worker"].agency_id)
    window = {"window_start": PERIOD, "window_end": dt.date(2025, 12, 31), "as_of": TODAY}
    by_race = own.group_of(groups.RACE_ETHNICITY)

    # When
    curves = survival.curves(
        own.episodes,
        **window,
        group_of=by_race,
        order=lambda names: groups.ordered(groups.RACE_ETHNICITY, names),
        min_children=0,
    )
    rates = equity.relative_rates(
        own.episodes, **window, group_of=by_race, reference=groups.UNKNOWN, min_children=0
    )

    # Then: five children entered in 2025 (the re-entry is not a first removal in the window);
    # three went home (one after 12 months); the child of two races is still in care
    assert [(c.group, c.n, c.events) for c in curves] == [
        ("all", 5, 3),
        (groups.TWO_OR_MORE, 1, 0),
        (groups.UNKNOWN, 4, 3),
    ]
    assert rates.excluded == {}
    rows = {row.group: row for row in rates.rows}
    assert (rows[groups.UNKNOWN].children, rows[groups.UNKNOWN].reunified) == (4, 2)
    assert rows[groups.UNKNOWN].is_reference
    assert (rows[groups.TWO_OR_MORE].rate, rows[groups.TWO_OR_MORE].rri) == (0.0, 0.0)
    assert rows[groups.TWO_OR_MORE].rri_ci is None
