"""Fixtures shared by every test: the cast of users around a case, and browser settings."""

from __future__ import annotations

import os

# pytest-playwright keeps an asyncio loop running in the main thread; Django's ORM then refuses
# to run unless told the tests are synchronous on purpose.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest

from reunify.accounts.models import Role
from reunify.cases.tests.factories import AgencyFactory, UnitFactory, UserFactory

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _english_by_default():
    """A request to /es/ leaves Spanish active in the thread; start every test in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def agency():
    return AgencyFactory()


@pytest.fixture
def unit(agency):
    return UnitFactory(agency=agency)


@pytest.fixture
def other_unit(agency):
    return UnitFactory(agency=agency)


@pytest.fixture
def caseworker(unit):
    return UserFactory(unit=unit, role=Role.CASEWORKER, username="cw")


@pytest.fixture
def other_caseworker(unit):
    return UserFactory(unit=unit, role=Role.CASEWORKER, username="cw2")


@pytest.fixture
def supervisor(unit):
    return UserFactory(unit=unit, role=Role.SUPERVISOR, username="sup")


@pytest.fixture
def other_supervisor(other_unit):
    return UserFactory(unit=other_unit, role=Role.SUPERVISOR, username="sup2")


@pytest.fixture
def agency_admin(agency):
    return UserFactory(unit=None, agency=agency, role=Role.AGENCY_ADMIN, username="adm")


@pytest.fixture
def foreign_admin():
    other = AgencyFactory()
    return UserFactory(unit=None, agency=other, role=Role.AGENCY_ADMIN, username="adm-other")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright: drive Debian's Chromium, never a downloaded browser."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
