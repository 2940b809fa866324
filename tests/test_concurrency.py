"""No lost updates: two edits racing on the same row from the same version. On PostgreSQL the
row lock makes the second wait for the first to commit, then see the newer version and refuse."""

import threading

import pytest
from django.db import connection

from reunify.cases.tests.factories import open_case
from reunify.core.concurrency import StaleEditError
from reunify.people import services
from reunify.people.models import Person
from reunify.people.services import PersonInput


@pytest.mark.django_db(transaction=True)
def test_two_transactions_racing_on_one_row_exactly_one_wins(caseworker, supervisor):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (runs in CI with DATABASE_URL)")
    person = open_case(worker=caseworker).participants.get(role="child").person
    version = person.version
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def edit(actor, name):
        try:
            start.wait(timeout=10)
            services.person_update(
                actor=actor,
                person=person,
                expected_version=version,
                data=PersonInput(first_name=name, last_name=person.last_name),
            )
            outcomes[name] = "saved"
        except StaleEditError as error:
            outcomes[name] = f"stale: {error.changed_by}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(caseworker, "Alpha")),
        threading.Thread(target=edit, args=(supervisor, "Beta")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(v.split(":")[0] for v in outcomes.values()) == ["saved", "stale"]
    winner = next(name for name, v in outcomes.items() if v == "saved")
    loser = next(name for name, v in outcomes.items() if v != "saved")
    winner_actor = caseworker if winner == "Alpha" else supervisor
    assert outcomes[loser] == f"stale: {winner_actor.get_full_name()}"
    stored = Person.objects.get(pk=person.pk)
    assert stored.first_name == winner
    assert stored.version == version + 1
