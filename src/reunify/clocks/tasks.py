"""Background tasks (django-tasks, database backend). `reunify scheduler` enqueues `nightly`
once a day; `reunify db_worker` runs it."""

from __future__ import annotations

from django_tasks import task

from reunify.clocks import digest, services
from reunify.core import clock
from reunify.family_time import services as family_time_services


@task()
def nightly() -> dict[str, int]:
    """Schedule family time eight weeks ahead, recompute every open case's clocks in batches,
    then send the daily digests."""
    today = clock.today()
    sessions = family_time_services.schedules_extend(today=today)
    cases = services.clocks_refresh_all(today=today)
    sent = digest.digests_send(today=today)
    return {"sessions": sessions, "cases": cases, "digests": sent}
