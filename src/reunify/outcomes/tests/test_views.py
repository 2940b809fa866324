"""The Outcomes dashboard: who sees it and at what scope, numbers equal to `reunify indicators`
on the same records, the children behind each number, exports that parse back, audited reads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reunify.accounts.models import Role
from reunify.cases.models import FamilyCase, Placement, RemovalEpisode
from reunify.cases.tests.factories import UserFactory, open_case
from reunify.core.models import AuditEvent
from reunify.outcomes import compliance, selectors, survival
from reunify.outcomes import indicators as rules
from reunify.people.models import Person
from reunify.portal.tests.factories import family_account, otp_client

pytestmark = pytest.mark.django_db

# 17:00 UTC is 11:00 in the agency's zone: the same date everywhere.
NOW = dt.datetime(2026, 11, 1, 17, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 1)
PERIOD = dt.date(2025, 1, 1)  # entries, exits and moves below fall in [2025-01-01, 2026-01-01)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _discharge(case: FamilyCase, index: int, on: dt.date, reason: str) -> None:
    """Plant a discharge straight in the tables (test set-up, not a user's change)."""
    episode = case.episodes.order_by("child__first_name")[index]
    Placement.objects.filter(episode=episode).update(ended_on=on, end_reason="discharge")
    RemovalEpisode.objects.filter(pk=episode.pk).update(discharged_on=on, discharge_reason=reason)


def _move(case: FamilyCase, index: int, on: dt.date) -> None:
    """A second placement with another provider: one move for placement stability."""
    episode = case.episodes.order_by("child__first_name")[index]
    first = episode.placements.get()
    Placement.objects.filter(pk=first.pk).update(ended_on=on, end_reason="child_needs")
    other = type(first.provider).objects.create(
        agency=first.provider.agency, name="Second home", kind=first.provider.kind
    )
    Placement.objects.create(episode=episode, setting=first.setting, provider=other, started_on=on)


@pytest.fixture
def world(unit, other_unit, caseworker, supervisor, other_supervisor, agency_admin):
    """Unit A (`unit`): three children entering in 2025 (one reunified in 5 months, one after a
    move and still in care, one home after 3 days) and one in care since 2023. Unit B: two
    children entering in 2025, both reunified. Numbers differ between the units."""
    worker_b = UserFactory(unit=other_unit, role=Role.CASEWORKER, username="cw-b")
    a1 = open_case(worker=caseworker, children=3, name="Alvarez", opened_on=dt.date(2025, 2, 3))
    _discharge(a1, 0, dt.date(2025, 7, 1), "reunification")
    _move(a1, 1, dt.date(2025, 5, 1))
    _discharge(a1, 2, dt.date(2025, 2, 6), "reunification")  # 3 days: excluded from P1
    a2 = open_case(worker=caseworker, children=1, name="Brightwater", opened_on=dt.date(2023, 6, 1))
    b1 = open_case(worker=worker_b, children=2, name="Castellanos", opened_on=dt.date(2025, 3, 1))
    _discharge(b1, 0, dt.date(2025, 6, 1), "reunification")
    _discharge(b1, 1, dt.date(2025, 9, 1), "living_with_relative")
    return {"a": [a1, a2], "b": [b1]}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _dashboard(client: Client, **query: str):
    return client.get(reverse("outcomes:dashboard"), {"period_start": PERIOD.isoformat(), **query})


def _numbers(html: str) -> dict[str, dict[str, str]]:
    """Each card's <data> values, by indicator key."""
    cards = {}
    for key in rules.KEYS:
        block = re.search(rf'data-indicator="{key}"(.*?)</li>', html, re.S)
        assert block, key
        cards[key] = dict(
            re.findall(r'<data class="outcomes-(\w+)" value="([^"]*)"', block.group(1))
        )
    return cards


def _extract(directory: Path, cases) -> tuple[Path, Path]:
    """The cases' records as a cfsr.md §11 extract, written straight from the tables (not
    through outcomes.source), as an agency would export them for `reunify indicators`."""
    episodes = RemovalEpisode.objects.filter(case__in=cases).select_related("child")
    placements = Placement.objects.filter(episode__case__in=cases).select_related("episode")
    episodes_csv, placements_csv = directory / "episodes.csv", directory / "placements.csv"
    with episodes_csv.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["child_id", "date_of_birth", "episode_start", "episode_end", "discharge_reason"]
        )
        for e in episodes:
            writer.writerow(
                [
                    e.child_id,
                    e.child.date_of_birth,
                    e.removed_on,
                    e.discharged_on or "",
                    e.discharge_reason,
                ]
            )
    with placements_csv.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "child_id",
                "episode_start",
                "placement_start",
                "placement_end",
                "setting",
                "provider_id",
            ]
        )
        for p in placements:
            writer.writerow(
                [
                    p.episode.child_id,
                    p.episode.removed_on,
                    p.started_on,
                    p.ended_on or "",
                    p.setting,
                    p.provider_id or "",
                ]
            )
    return episodes_csv, placements_csv


def _command(tmp_path: Path, cases) -> dict:
    episodes_csv, placements_csv = _extract(tmp_path, cases)
    out = io.StringIO()
    call_command(
        "indicators",
        "--episodes", str(episodes_csv),
        "--placements", str(placements_csv),
        "--period-start", PERIOD.isoformat(),
        "--as-of", TODAY.isoformat(),
        "--json",
        stdout=out,
    )  # fmt: skip
    return json.loads(out.getvalue())["indicators"]


# ---- policy -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("principal", "status"),
    [
        ("caseworker", 404),
        ("supervisor", 200),
        ("other_supervisor", 200),
        ("agency_admin", 200),
        ("foreign_admin", 200),
    ],
)
@pytest.mark.parametrize("name", ["outcomes:dashboard", "outcomes:child-list", "outcomes:export"])
def test_staff_policy_per_role(request, world, principal, status, name):
    # given a staff member of some role
    user = request.getfixturevalue(principal)
    # when they open the page
    response = _client(user).get(reverse(name))
    # then supervisors and administrators get it, caseworkers get a 404
    assert response.status_code == status


def test_a_caseworkers_attempt_is_audited_as_a_denial(world, caseworker):
    _client(caseworker).get(reverse("outcomes:dashboard"))
    assert AuditEvent.objects.filter(
        actor=caseworker, kind=AuditEvent.Kind.DENIAL, action="denied.outcomes.dashboard"
    ).exists()


def test_family_accounts_never_reach_the_dashboard(world, caseworker):
    parent = family_account(worker=caseworker, case=world["a"][0])
    client = otp_client(parent)
    for name in ("outcomes:dashboard", "outcomes:child-list", "outcomes:export"):
        assert client.get(reverse(name)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(world):
    response = Client().get(reverse("outcomes:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_navigation_offers_the_dashboard_only_to_those_allowed(
    world, caseworker, supervisor, agency_admin
):
    href = f'href="{reverse("outcomes:dashboard")}"'
    for user, shown in ((caseworker, False), (supervisor, True), (agency_admin, True)):
        page = _client(user).get(reverse("services:search")).content.decode()
        assert (href in page) is shown, user.role


# ---- scope ------------------------------------------------------------------------------------


def test_a_supervisor_sees_only_their_units_numbers(world, supervisor, tmp_path):
    # when the supervisor of unit A opens the dashboard
    html = _dashboard(_client(supervisor)).content.decode()
    numbers = _numbers(html)
    # then the numbers are unit A's: 3 entries (one excluded, 3 days), 1 reunified in time
    p1 = numbers[rules.PERM12_ENTRIES]
    assert (p1["numerator"], p1["denominator"], p1["excluded"]) == ("1", "2", "1")
    assert numbers[rules.PLACEMENT_STABILITY]["numerator"] == "1"
    # and they equal the command line run on unit A's records only
    expected = _command(tmp_path, world["a"])
    for key in rules.KEYS:
        assert int(numbers[key]["numerator"]) == expected[key]["numerator"], key
        assert int(numbers[key]["denominator"]) == expected[key]["denominator"], key


def test_a_supervisor_cannot_ask_for_another_unit(world, supervisor, other_unit):
    response = _dashboard(_client(supervisor), unit=str(other_unit.pk))
    assert response.status_code == 404


def test_an_administrator_sees_the_agency_or_one_unit(world, agency_admin, other_unit):
    client = _client(agency_admin)
    agency = _numbers(_dashboard(client).content.decode())[rules.PERM12_ENTRIES]
    unit_b = _numbers(_dashboard(client, unit=str(other_unit.pk)).content.decode())
    assert (agency["numerator"], agency["denominator"]) == ("3", "4")
    p1_b = unit_b[rules.PERM12_ENTRIES]
    assert (p1_b["numerator"], p1_b["denominator"]) == ("2", "2")


def test_another_agencys_unit_is_not_found(world, foreign_admin, unit):
    response = _dashboard(_client(foreign_admin), unit=str(unit.pk))
    assert response.status_code == 404


# ---- the page equals the command line ---------------------------------------------------------


def test_every_number_on_the_page_equals_reunify_indicators_json(world, agency_admin, tmp_path):
    # given the agency's records written as a §11 extract and run through the command
    expected = _command(tmp_path, [*world["a"], *world["b"]])
    # when the administrator opens the agency's dashboard for the same period
    response = _dashboard(_client(agency_admin))
    assert response.status_code == 200
    numbers = _numbers(response.content.decode())
    # then numerator, denominator, value, excluded and national line agree exactly
    for key in rules.KEYS:
        cli, page = expected[key], numbers[key]
        assert int(page["numerator"]) == cli["numerator"], key
        assert int(page["denominator"]) == cli["denominator"], key
        assert int(page["excluded"]) == len(cli["excluded"]), key
        assert float(page["national"]) == cli["national_performance"], key
        if cli["value"] is None:
            assert page["value"] == "", key
        else:
            assert float(page["value"]) == cli["value"], key
    assert expected[rules.PERM12_ENTRIES]["denominator"] == 4  # the data are not trivial


def test_each_card_carries_a_trend_chart_over_eight_periods(world, supervisor):
    html = _dashboard(_client(supervisor)).content.decode()
    for key in rules.KEYS:
        spec = json.loads(
            re.search(
                rf'<script id="spec-{key}" type="application/json">(.*?)</script>', html, re.S
            ).group(1)
        )
        points = spec["data"]["values"]
        assert len(points) == rules.TREND_PERIODS
        assert points[-1]["period"] == "2025-12-31"
        national = spec["layer"][1]["encoding"]["y"]["datum"]
        assert national == rules.DEFINITIONS[key].national_performance
    assert "vendor/vega/vega-embed.min.js" in html


def test_a_bad_period_is_refused_with_a_message(world, supervisor):
    response = _client(supervisor).get(
        reverse("outcomes:dashboard"), {"period_start": "2031-01-01"}
    )
    assert response.status_code == 400
    assert "between 1990 and today" in response.content.decode()


# ---- the children behind a number -------------------------------------------------------------


def _children(client: Client, **query: str):
    return client.get(reverse("outcomes:child-list"), {"period_start": PERIOD.isoformat(), **query})


def test_every_number_links_to_its_children(world, supervisor):
    html = _dashboard(_client(supervisor)).content.decode()
    block = re.search(rf'data-indicator="{rules.PERM12_ENTRIES}"(.*?)</li>', html, re.S).group(1)
    links = re.findall(r'href="(/outcomes/children/\?[^"]+)"', block)
    parts = sorted(re.search(r"part=(\w+)", link.replace("&amp;", "&")).group(1) for link in links)
    assert parts == ["denominator", "excluded", "numerator"]


def test_the_child_lists_name_the_children_and_why_one_was_excluded(world, supervisor):
    client = _client(supervisor)
    a1 = world["a"][0]
    names = [e.child.full_name for e in a1.episodes.order_by("child__first_name")]
    numerator = _children(client, indicator=rules.PERM12_ENTRIES, part="numerator")
    assert numerator.status_code == 200
    body = numerator.content.decode()
    assert names[0] in body
    assert names[1] not in body
    excluded = _children(client, indicator=rules.PERM12_ENTRIES, part="excluded").content.decode()
    assert names[2] in excluded
    assert "in care under 8 days" in excluded


def test_a_supervisors_child_list_never_names_another_units_child(world, supervisor):
    other = world["b"][0].episodes.first().child.last_name
    body = _children(
        _client(supervisor), indicator=rules.PERM12_ENTRIES, part="denominator"
    ).content.decode()
    assert "Alvarez" in body
    assert other not in body


def test_a_child_list_can_show_one_group(world, supervisor):
    client = _client(supervisor)
    everyone = _children(client, indicator=rules.PERM12_ENTRIES, part="denominator")
    nobody = _children(
        client,
        indicator=rules.PERM12_ENTRIES,
        part="denominator",
        group_key="age",
        group="18_plus",
    )
    assert "Alvarez" in everyone.content.decode()
    assert "Alvarez" not in nobody.content.decode()


def test_viewing_a_child_list_is_audited(world, supervisor):
    _children(_client(supervisor), indicator=rules.REENTRY_12M, part="denominator")
    event = AuditEvent.objects.get(action="outcomes.children_viewed")
    assert event.kind == AuditEvent.Kind.ACCESS
    assert event.actor == supervisor
    assert rules.REENTRY_12M in event.summary


# ---- exports ----------------------------------------------------------------------------------


def _export(client: Client, **query: str):
    return client.get(reverse("outcomes:export"), {"period_start": PERIOD.isoformat(), **query})


def test_the_indicator_table_exports_as_csv_and_parquet_with_the_page_numbers(world, supervisor):
    client = _client(supervisor)
    page = _numbers(_dashboard(client).content.decode())
    csv_response = _export(client, table="indicators", format="csv")
    assert csv_response["Content-Disposition"].startswith("attachment; filename=")
    assert csv_response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode())))
    assert len(rows) == len(rules.KEYS) * rules.TREND_PERIODS
    latest = {r["indicator"]: r for r in rows if r["period_start"] == PERIOD.isoformat()}
    parquet_response = _export(client, table="indicators", format="parquet")
    assert parquet_response["Content-Disposition"].endswith('.parquet"')
    table = pq.read_table(io.BytesIO(parquet_response.content)).to_pylist()
    from_parquet = {r["indicator"]: r for r in table if r["period_start"] == PERIOD}
    for key in rules.KEYS:
        assert latest[key]["numerator"] == page[key]["numerator"]
        assert latest[key]["denominator"] == page[key]["denominator"]
        assert str(from_parquet[key]["numerator"]) == page[key]["numerator"]
        assert from_parquet[key]["national_performance"] == float(page[key]["national"])
    assert (
        AuditEvent.objects.filter(
            action="outcomes.exported", kind=AuditEvent.Kind.ACCESS, actor=supervisor
        ).count()
        == 2
    )


def test_a_child_list_exports_and_formula_cells_are_neutralised(world, supervisor):
    # given a child whose recorded name would be a formula in a spreadsheet
    child = world["a"][0].episodes.order_by("child__first_name").first().child
    Person.objects.filter(pk=child.pk).update(first_name="=HYPERLINK(1)", middle_name="")
    client = _client(supervisor)
    query = {"table": "children", "indicator": rules.PERM12_ENTRIES, "part": "numerator"}
    # when the list is exported
    rows = list(csv.reader(io.StringIO(_export(client, **query, format="csv").content.decode())))
    parquet = pq.read_table(io.BytesIO(_export(client, **query, format="parquet").content))
    # then the CSV cell starts with an apostrophe and Parquet keeps the value as it is
    assert rows[0][:4] == ["indicator", "part", "child_id", "name"]
    assert rows[1][3] == "'=HYPERLINK(1) Alvarez"
    assert parquet.column("name").to_pylist() == ["=HYPERLINK(1) Alvarez"]
    assert parquet.column("child_id").to_pylist() == [str(child.pk)]


def test_default_period_has_a_full_year_of_follow_up():
    assert selectors.default_period_start(dt.date(2026, 11, 23)) == dt.date(2024, 11, 1)


# ---- time to reunification and equity ---------------------------------------------------------


@pytest.fixture
def cohort(unit, caseworker, supervisor):
    """Unit A only: twelve children aged 7 to 9 removed on 3 February 2025; six reunified, after
    30, 60, 90, 120, 200 and 200 days; the rest still in care."""
    start = dt.date(2025, 2, 3)
    cases = [
        open_case(worker=caseworker, children=3, name=f"Okoro{i}", opened_on=start)
        for i in range(4)
    ]
    for i, case in enumerate(cases):
        _discharge(case, 0, start + dt.timedelta(days=30 * (i + 1)), "reunification")
    for case in cases[:2]:
        _discharge(case, 1, start + dt.timedelta(days=200), "reunification")
    return cases


def _row(html: str, table: str, group: str) -> list[str]:
    body = re.search(rf'data-table="{table}"(.*?)</table>', html, re.S).group(1)
    row = re.search(rf'<tr data-group="{group}">(.*?)</tr>', body, re.S).group(1)
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def test_time_to_reunification_and_equity_by_age(cohort, supervisor):
    # when the supervisor compares groups by age
    response = _dashboard(_client(supervisor), group_key="age")
    html = response.content.decode()
    # then the Kaplan-Meier table shows 12 children, 6 reunified, median 200 days
    assert _row(html, "survival", "all")[:4] == ["All children", "12", "6", "200"]
    assert _row(html, "survival", "6_12")[:4] == ["6 to 12", "12", "6", "200"]
    spec = json.loads(
        re.search(
            r'<script id="spec-survival" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert {v["group"] for v in spec["data"]["values"]} == {"All children", "6 to 12"}
    # and the equity table half of them reunified within 12 months, the reference group
    assert _row(html, "equity", "6_12")[:5] == ["6 to 12 (reference)", "12", "6", "50.0%", "1.00"]


def test_the_reunified_number_lists_its_children(cohort, supervisor):
    response = _children(
        _client(supervisor),
        indicator=selectors.REUNIFIED_12M,
        part="numerator",
        group_key="age",
        group="6_12",
    )
    assert response.status_code == 200
    assert response.content.decode().count('href="/people/') == 6


def test_small_groups_are_suppressed(world, supervisor):
    # unit A has three children entering in 2025: fewer than 10
    html = _dashboard(_client(supervisor), group_key="age").content.decode()
    assert _row(html, "survival", "all")[1] == "fewer than 10 children"
    assert 'id="spec-survival"' not in html


def test_one_suppressed_group_withholds_the_next_smallest():
    def curve(group: str, n: int | None) -> survival.Curve:
        if n is None:
            return survival.Curve(group, None, None, None, None, [], suppressed=True)
        return survival.Curve(group, n, 1, None, None, [(0, 1.0, 1.0, 1.0)])

    curves = [curve("all", 40), curve("a", 25), curve("b", 12), curve("c", None)]
    result = selectors.complementary_suppression(curves)
    assert [(c.group, c.n, c.suppressed) for c in result] == [
        ("all", 40, False),
        ("a", 25, False),
        ("b", None, True),
        ("c", None, True),
    ]
    assert result[2].reason == selectors.WITHHELD
    # two suppressed groups already hide each other
    two = [curve("all", 40), curve("a", 30), curve("b", None), curve("c", None)]
    assert selectors.complementary_suppression(two) == two


@pytest.mark.parametrize("table", ["survival", "equity"])
def test_survival_and_equity_tables_export(cohort, supervisor, table):
    client = _client(supervisor)
    csv_rows = list(
        csv.DictReader(
            io.StringIO(
                _export(client, table=table, format="csv", group_key="age").content.decode()
            )
        )
    )
    response = _export(client, table=table, format="parquet", group_key="age")
    assert response["Content-Disposition"].startswith("attachment;")
    parquet_rows = pq.read_table(io.BytesIO(response.content)).to_pylist()
    by_group = {r["group"]: r for r in parquet_rows}
    assert {r["group"] for r in csv_rows} == set(by_group)
    assert by_group["6_12"]["children"] == 12
    if table == "survival":
        assert by_group["all"]["median_days"] == 200
        assert by_group["6_12"]["reunified"] == 6
    else:
        assert by_group["6_12"]["rri"] == 1.0
        assert by_group["6_12"]["reunified_12m"] == 6


def test_case_review_compliance_says_why_a_rate_is_missing_and_exports(world, supervisor):
    client = _client(supervisor)
    html = _dashboard(client).content.decode()
    body = re.search(r'data-table="compliance"(.*?)</table>', html, re.S).group(1)
    assert re.findall(r'data-measure="(\w+)"', body) == list(compliance.KEYS)
    assert str(compliance.NO_VISITS_RECORDED) in body.replace("&#x27;", "'")
    parquet = pq.read_table(
        io.BytesIO(_export(client, table="compliance", format="parquet").content)
    ).to_pylist()
    assert [r["measure"] for r in parquet] == list(compliance.KEYS)
    visits = parquet[0]
    assert visits["rate"] is None
    assert visits["missing"] == str(compliance.NO_VISITS_RECORDED)


def test_a_compliance_rate_links_to_the_children_behind_it(world, supervisor, other_supervisor):
    from reunify.core import clock
    from reunify.family_time.models import FamilyTimeSession, SessionStatus
    from reunify.family_time.tests.factories import make_plan

    # Given family time held once (March 2025) with the child in care since 2023 (unit A)
    case = world["a"][1]
    plan = make_plan(worker=case.worker, case=case)
    FamilyTimeSession.objects.filter(plan=plan).update(status=SessionStatus.SCHEDULED)
    starts = dt.datetime(2025, 3, 4, 17, tzinfo=clock.agency_zone())
    FamilyTimeSession.objects.create(
        plan=plan, starts_at=starts, ends_at=starts + dt.timedelta(hours=1), status="held"
    )
    child = case.episodes.get().child
    client = _client(supervisor)

    # When the supervisor follows the rate's link
    html = _dashboard(client).content.decode()
    row = re.search(r'data-measure="family_time_parents"(.*?)</tr>', html, re.S).group(1)
    link = re.search(r'href="([^"]+)"', row).group(1).replace("&amp;", "&")
    assert link.startswith(reverse("outcomes:compliance-children"))
    page = client.get(link)

    # Then the children behind the rate are listed with their months, and the read is audited
    assert page.status_code == 200
    body = page.content.decode()
    assert child.full_name in body
    assert "Castellanos" not in body  # unit B's children are not in unit A's rate
    table = re.search(r'data-table="compliance-children"(.*?)</table>', body, re.S).group(1)
    counts = re.findall(r"<td>(\d+)</td>", table)
    assert counts[1] == "1"  # one month with family time
    assert AuditEvent.objects.filter(
        actor=supervisor, action="outcomes.children_viewed", summary__contains="family_time"
    ).exists()
    # another unit's supervisor gets their own unit's list, without this child
    other = _client(other_supervisor).get(link).content.decode()
    assert child.full_name not in other
    # the case plan list opens too
    plans = client.get(
        reverse("outcomes:compliance-children"),
        {"period_start": PERIOD.isoformat(), "measure": "case_plan_60_days"},
    )
    assert plans.status_code == 200


def test_compliance_children_refuse_caseworkers(world, caseworker):
    response = _client(caseworker).get(reverse("outcomes:compliance-children"))
    assert response.status_code == 404
