from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.core.forms import Form
from reunify.reminders.models import Channel, Language
from reunify.reminders.selectors import Recipient


class SubscriptionForm(Form):
    """Consent to reminders: who, how, where to and in which language. Whether the recipient agreed
    is checked by the service, which gives the message."""

    recipient = forms.ChoiceField(label=_("Who receives the reminders"))
    channel = forms.ChoiceField(
        label=_("Send by"), choices=Channel.choices, initial=Channel.SMS, widget=forms.RadioSelect
    )
    destination = forms.CharField(
        label=_("E-mail address or mobile number"),
        max_length=254,
        help_text=_(
            "A mobile number with its country code, for example +1 314 555 0123; "
            "a 10-digit U.S. number is read as +1."
        ),
    )
    language = forms.ChoiceField(label=_("Language of the reminders"), choices=Language.choices)
    consent = forms.BooleanField(
        label=_("The recipient agreed to receive family-time reminders this way"), required=False
    )

    def __init__(self, *args: Any, recipients: list[Recipient], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recipients = {r.key: r for r in recipients}
        self.fields["recipient"].choices = [("", _("Choose…"))] + [
            (r.key, r.label) for r in recipients
        ]

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        chosen = self.recipients[data.pop("recipient")]
        return {**data, "person": chosen.person, "provider": chosen.provider}


class StopForm(Form):
    subscription = forms.IntegerField(widget=forms.HiddenInput)


class ResponseForm(Form):
    """The recipient's answer: the button they press, and an optional note."""

    response = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Anything the agency should know (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
    )
