import datetime as dt

import pytest

from reunify.cases.tests.factories import open_case


@pytest.mark.django_db
def test_open_case_creates_episode_and_placement(caseworker):
    case = open_case(worker=caseworker, children=2)
    assert case.episodes.count() == 2
    assert all(e.placements.count() == 1 for e in case.episodes.all())
    assert case.opened_on == dt.date(2026, 1, 10)
