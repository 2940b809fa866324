"""Background tasks (django-tasks, database backend). `reunify scheduler` enqueues `nightly`
once a day; `reunify db_worker` runs it."""

from __future__ import annotations

from django_tasks import task

from reunify.clocks import digest, services
from reunify.core import clock


@task()
def nightly() -> dict[str, int]:
    """Recompute every open case's clocks in batches, then send the daily digests."""
    today = clock.today()
    cases = services.clocks_refresh_all(today=today)
    sent = digest.digests_send(today=today)
    return {"cases": cases, "digests": sent}
