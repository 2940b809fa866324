"""Referral forms: input shape and types only; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.core.forms import DateInput, Form, VersionField
from reunify.people.models import Person
from reunify.referrals import rules
from reunify.referrals.models import BarrierKind, ConsentWay

SHARE_CHOICES = [
    (rules.NAME, _("Name")),
    (rules.PHONE, _("Phone number")),
    (rules.EMAIL, _("E-mail address")),
    (rules.LANGUAGE, _("Language")),
    (rules.ADDRESS, _("Home address")),
    (rules.REASON, _("Reason for the referral")),
    (rules.GOAL, _("The case-plan goal it serves")),
]


class ServiceSearchForm(Form):
    q = forms.CharField(
        label=_("Words in the service's name or description"), required=False, max_length=100
    )


class ReferralForm(Form):
    person = forms.TypedChoiceField(label=_("Who is referred"), coerce=int)
    goal_key = forms.ChoiceField(label=_("Case-plan goal it serves"), required=False)
    reason = forms.CharField(
        label=_("Reason for the referral"),
        help_text=_("The provider sees this only if the parent agrees to share it."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def __init__(
        self, *args: Any, people: list[Person], goals: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.full_name) for p in people]
        self.fields["goal_key"].choices = [("", _("No particular goal")), *goals]


class ConsentForm(Form):
    given_by = forms.TypedChoiceField(label=_("Parent who consented"), coerce=int)
    fields_shared = forms.MultipleChoiceField(
        label=_("What the parent agreed to share with the provider"),
        choices=SHARE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    how = forms.ChoiceField(
        label=_("How consent was given"), choices=ConsentWay.choices, widget=forms.RadioSelect
    )
    witness = forms.CharField(
        label=_("Witness (for spoken consent)"), required=False, max_length=200
    )
    given_on = forms.DateField(label=_("Consent given on"), widget=DateInput)

    def __init__(self, *args: Any, parents: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_by"].choices = [(p.pk, p.full_name) for p in parents]


class RevokeForm(Form):
    consent = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class SendForm(Form):
    to = forms.EmailField(
        label=_("Provider's e-mail address"),
        help_text=_("The referral and a secure link for the provider's answer go here."),
    )
    version = VersionField()


class StepForm(Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = VersionField()

    def __init__(self, *args: Any, reason_required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


ATTENDED_CHOICES = [("yes", _("Attended")), ("no", _("Missed"))]


class AttendanceForm(Form):
    on = forms.DateField(label=_("Date"), widget=DateInput)
    attended = forms.ChoiceField(
        label=_("Attendance"), choices=ATTENDED_CHOICES, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"on": data["on"], "attended": data["attended"] == "yes", "note": data["note"]}


class BarrierForm(Form):
    kind = forms.ChoiceField(label=_("Barrier"), choices=BarrierKind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class BarrierResolveForm(Form):
    barrier = forms.IntegerField(widget=forms.HiddenInput)


PROVIDER_ACTIONS = [
    (rules.ACCEPT, _("Accept")),
    (rules.DECLINE, _("Decline")),
    (rules.START, _("The family started the service")),
    (rules.COMPLETE, _("Completed")),
    (rules.NOT_COMPLETE, _("Not completed")),
]


class ProviderStepForm(Form):
    action = forms.ChoiceField(choices=PROVIDER_ACTIONS, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason (needed to decline or to close as not completed)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PeriodForm(Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None)
    since = forms.DateField(label=_("From"), widget=DateInput)
    until = forms.DateField(label=_("To"), widget=DateInput)

    def __init__(
        self, *args: Any, units: list[tuple[int, str]], agency_wide: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        first = [("", _("Whole agency"))] if agency_wide else []
        self.fields["unit"].choices = [*first, *units]
        if not agency_wide:
            self.fields["unit"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            self.add_error("until", _("The end of the period is before its start."))
        return cleaned
