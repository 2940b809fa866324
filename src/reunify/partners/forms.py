from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.core.forms import DateInput, Form
from reunify.partners.models import ContactEvent, ContactMode, Experience
from reunify.people.models import Person


class ListField(forms.CharField):
    """A comma-separated list ("English, Spanish")."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part.strip() for part in text.split(",") if part.strip()]

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list | tuple) else value


class MentorForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    experiences = forms.MultipleChoiceField(
        label=_("Lived experience"),
        choices=Experience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = ListField(
        label=_("Languages"), help_text=_("Separate with commas: English, Spanish.")
    )
    counties = ListField(label=_("Counties served"), required=False)
    zip_codes = ListField(label=_("ZIP codes served"), required=False)
    capacity = forms.IntegerField(label=_("Families at most"), min_value=1, max_value=30, initial=8)
    eligibility_evidence = forms.CharField(
        label=_("Eligibility: what was verified"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "For example: own case closed with reunification in 2021 (record checked); "
            "training completed; background check cleared."
        ),
    )
    eligibility_verified_on = forms.DateField(label=_("Verified on"), widget=DateInput)


class MentorEditForm(MentorForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)


class ReferForm(Form):
    parent = forms.TypedChoiceField(label=_("Parent"), coerce=int)
    experiences = forms.MultipleChoiceField(
        label=_("Experience the parent would like a mentor to share"),
        choices=Experience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = forms.CharField(label=_("Preferred language"), max_length=60, required=False)
    county = forms.CharField(label=_("County"), max_length=60, required=False)
    zip_code = forms.CharField(label=_("ZIP code"), max_length=10, required=False)
    goals = forms.CharField(
        label=_("The parent's goals, in their own words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("The mentor sees this text once the parent consents. Write what they said."),
    )

    def __init__(self, *args: Any, parents: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [(p.pk, p.full_name) for p in parents]  # type: ignore[attr-defined]


class ConsentForm(Form):
    given_on = forms.DateField(label=_("Consent given on"), widget=DateInput)
    expires_on = forms.DateField(label=_("Consent expires on"), widget=DateInput)
    share_phone = forms.BooleanField(
        label=_("The parent agrees to share their phone"), required=False
    )


class ConfirmForm(Form):
    confirm = forms.ChoiceField(choices=[("yes", "yes")], widget=forms.HiddenInput)


class CloseForm(ConfirmForm):
    reason = forms.CharField(label=_("Why it closes"), max_length=300)


class MatchForm(Form):
    mentor = forms.IntegerField(widget=forms.HiddenInput)


class ContactForm(Form):
    on = forms.DateField(label=_("Date"), widget=DateInput)
    mode = forms.ChoiceField(label=_("How"), choices=ContactMode.choices)
    event = forms.ChoiceField(label=_("What for"), choices=ContactEvent.choices)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000, required=False
    )
