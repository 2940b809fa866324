from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reunify.clocks import profiles
from reunify.clocks.models import ClockException
from reunify.core.forms import DateInput, Form


class ClockExceptionForm(Form):
    reason = forms.ChoiceField(
        label=_("Exception"), choices=ClockException.Reason.choices, widget=forms.RadioSelect
    )
    recorded_on = forms.DateField(label=_("Recorded on"), widget=DateInput())
    note = forms.CharField(
        label=_("Documentation"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A compelling reason must be specific to this child; no categorical reasons."),
    )


class PeriodForm(Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=pgettext_lazy("end of a date range", "To"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period must end after it starts."))
        return data


class DigestForm(Form):
    # An unticked box sends nothing; this field tells a real form post from an empty request.
    sent = forms.CharField(widget=forms.HiddenInput, initial="1")
    wants_digest = forms.BooleanField(
        label=_("Send me a daily e-mail of what became overdue or is due within 7 days"),
        required=False,
    )


# The names of the shipped profiles, for translation; other profiles show their file's name.
PROFILE_NAMES = {
    "federal": _("Federal baseline"),
    "washington": _("Washington (RCW 13.34, DCYF policy)"),
}


class AgencyProfileForm(Form):
    clock_profile = forms.ChoiceField(label=_("Statutory clock rules for the agency"), choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clock_profile"].choices = [
            (k, PROFILE_NAMES.get(k, p.name)) for k, p in profiles.available().items()
        ]
