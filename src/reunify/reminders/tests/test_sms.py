"""The SMS backends: chosen by setting, console for development, locmem for tests, disabled until
a gateway is configured."""

import io

import pytest

from reunify.reminders import sms


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def test_the_setting_chooses_the_backend(settings):
    assert isinstance(sms.get_backend(), sms.LocmemBackend)  # config/settings/test.py
    settings.REUNIFY_SMS_BACKEND = "reunify.reminders.sms.ConsoleBackend"
    assert isinstance(sms.get_backend(), sms.ConsoleBackend)
    assert isinstance(sms.get_backend("reunify.reminders.sms.DisabledBackend"), sms.DisabledBackend)


def test_locmem_keeps_what_was_sent():
    assert sms.send_sms("+13145550123", "Hello", reference="reminder-1") == 1
    assert sms.outbox == [sms.SMSMessage(to="+13145550123", body="Hello", reference="reminder-1")]


def test_console_writes_each_message():
    stream = io.StringIO()
    with sms.ConsoleBackend(stream=stream) as backend:
        sent = backend.send_messages([sms.SMSMessage(to="+13145550123", body="Hola")])
    assert sent == 1
    assert "SMS to +13145550123\nHola\n" in stream.getvalue()


def test_disabled_refuses_unless_silent():
    message = sms.SMSMessage(to="+13145550123", body="Hello")
    with pytest.raises(sms.SMSNotConfiguredError):
        sms.DisabledBackend().send_messages([message])
    assert sms.DisabledBackend(fail_silently=True).send_messages([message]) == 0


def test_the_base_class_is_an_interface():
    with pytest.raises(NotImplementedError):
        sms.BaseSMSBackend().send_messages([])
