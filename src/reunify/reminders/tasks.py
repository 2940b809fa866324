"""Background tasks (django-tasks, database backend). `reunify scheduler` enqueues `send_due`
every 15 minutes; `reunify db_worker` runs it."""

from __future__ import annotations

from django_tasks import task

from reunify.core import clock
from reunify.reminders import services


@task()
def send_due() -> dict[str, int]:
    """Plan the reminders of the sessions in the coming lead time and send those due."""
    return services.reminders_send_due(now=clock.now())
