import pytest

from reunify.reminders import sms


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()
