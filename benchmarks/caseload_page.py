"""Median milliseconds to render a supervisor's caseload page (run by benchmarks/run.py inside a
database that already holds the 10,000-case demo agency)."""

import statistics
import time

import django

django.setup()

from django.test import Client  # noqa: E402

from reunify.accounts.models import User  # noqa: E402

client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(username="supervisor"))
client.get("/")  # warm caches and templates
timings = []
for _ in range(15):
    started = time.perf_counter()
    response = client.get("/")
    timings.append(time.perf_counter() - started)
    assert response.status_code == 200, response.status_code
print(round(statistics.median(timings) * 1000, 1))
