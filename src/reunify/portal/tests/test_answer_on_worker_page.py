"""A parent's answer in the portal shows on the worker's family-time page even when no reminder
went out for the session (reminders.selectors.responses_for_sessions reads both)."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reunify.family_time.models import FamilyTimeSession
from reunify.portal import parent_services
from reunify.portal.tests.parent_world import NOW, build
from reunify.reminders import selectors

pytestmark = pytest.mark.django_db


def test_an_answer_given_only_in_the_portal_reaches_the_worker(caseworker):
    with time_machine.travel(NOW, tick=False):
        world = build(caseworker)
        session = FamilyTimeSession.objects.filter(
            plan=world.family_time, starts_at__gt=NOW
        ).earliest("starts_at")
        parent_services.session_answer(
            actor=world.user,
            account=world.user.portal_account,
            session=session,
            answer="cannot_come",
            note="Working late that day",
        )
        [row] = selectors.responses_for_sessions([session.pk])[session.pk]
        assert (row.response, row.channel, row.note) == (
            "cannot_come",
            "portal",
            "Working late that day",
        )
        assert row.recipient == world.parent.full_name
        client = Client()
        client.force_login(caseworker)
        page = client.get(reverse("family_time:child", args=[world.family_time.episode_id]))
    body = page.content.decode()
    assert "Cannot come" in body
    assert "Working late that day" in body
