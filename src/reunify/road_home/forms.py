"""Road-home forms: input shape and types only; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.cases.forms import PlacementFieldsForm
from reunify.core.forms import DateInput, Form, VersionField
from reunify.family_time.forms import TimeInput
from reunify.road_home.models import (
    BackgroundCheck,
    ContactStatus,
    ContactWay,
    HouseholdAdult,
    TransitionKind,
)

TEXT = {"rows": 3}


class ThvPlanForm(Form):
    returning_to = forms.CharField(
        label=_("Whose home the child returns to"),
        help_text=_("For example: Rosa Rivera (mother), at her home."),
        max_length=200,
    )
    planned_start = forms.DateField(label=_("Planned start"), widget=DateInput)


class AdultForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    relationship = forms.CharField(label=_("Relationship to the child"), max_length=100)
    background_check = forms.ChoiceField(
        label=_("Background check"), choices=BackgroundCheck.choices, widget=forms.RadioSelect
    )
    checked_on = forms.DateField(
        label=_("Result received on"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty while the check is pending."),
    )


class AdultCheckForm(Form):
    adult = forms.TypedChoiceField(label=_("Adult"), coerce=int)
    background_check = forms.ChoiceField(
        label=_("Background check"), choices=BackgroundCheck.choices, widget=forms.RadioSelect
    )
    checked_on = forms.DateField(label=_("Result received on"), required=False, widget=DateInput)

    def __init__(self, *args: Any, adults: list[HouseholdAdult], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["adult"].choices = [(a.pk, a.name) for a in adults]


class SafetyActionForm(Form):
    action = forms.CharField(label=_("Safety action"), max_length=300)
    responsible_adult = forms.CharField(
        label=_("Responsible adult"), max_length=200, required=False
    )
    how_checked = forms.CharField(
        label=_("How it is checked"),
        max_length=300,
        required=False,
        help_text=_("For example: unannounced home visit each week; school attendance report."),
    )


class CrisisPlanForm(Form):
    who_to_call = forms.CharField(label=_("Whom the family calls in a crisis"), max_length=200)
    phone = forms.CharField(label=_("Their phone number"), max_length=40, required=False)
    what_happens = forms.CharField(
        label=_("What happens then"), widget=forms.Textarea(attrs=TEXT), max_length=2000
    )
    version = VersionField()


class TransitionVisitForm(Form):
    kind = forms.ChoiceField(label=_("Kind of visit"), choices=TransitionKind.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput)
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    ends_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for a day visit; an overnight or a weekend ends on a later day."),
    )
    end_time = forms.TimeField(label=_("Until"), widget=TimeInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ConfirmRemoveForm(Form):
    confirm = forms.BooleanField(label=_("Yes, remove it"))


class ThvStartForm(Form):
    started_on = forms.DateField(label=_("The child went home on"), widget=DateInput)
    version = VersionField()


OUTCOMES = [
    ("converted", _("Converted to reunification: the child stays home (discharge)")),
    ("disrupted", _("Disrupted: the child returns to care (same episode, new placement)")),
]


class ThvEndForm(PlacementFieldsForm):
    """The end of the visit; the placement fields matter only when it was disrupted."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, widget=forms.RadioSelect)
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput)
    reason = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs=TEXT), max_length=2000
    )
    close_safety_plan = forms.BooleanField(
        label=_("Close the visit's safety plan too"), required=False
    )
    version = VersionField()

    field_order = ["outcome", "ended_on", "reason", "close_safety_plan"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["setting"].required = False
        self.fields["setting"].choices = [
            (value, label)
            for value, label in self.fields["setting"].choices
            if value != "trial_home_visit"
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("outcome") == "disrupted" and not cleaned.get("setting"):
            self.add_error("setting", _("Choose where the child lives now."))
        return cleaned


class SafetyPlanForm(Form):
    purpose = forms.CharField(
        label=_("What the plan is for"),
        max_length=200,
        help_text=_("For example: in-home safety plan while the father's treatment continues."),
    )
    child = forms.TypedChoiceField(label=_("Child"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, children: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", _("All the children of the case")), *children]


class SafetyPlanCloseForm(Form):
    reason = forms.CharField(label=_("Why it closes"), max_length=300)
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput)
    version = VersionField()


class AftercarePlanForm(Form):
    services = forms.CharField(
        label=_("Services after the return"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=2000,
        help_text=_("Who provides what, and how often."),
    )
    informal_supports = forms.CharField(
        label=_("Informal supports named with the family"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=2000,
        help_text=_("Relatives, friends, neighbours, faith community: who, and what they do."),
    )
    relapse_plan = forms.CharField(
        label=_("What happens if things slip"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=2000,
        help_text=_("Warning signs the family watches for, and the steps they take."),
    )
    crisis_who_to_call = forms.CharField(
        label=_("Whom the family calls in a crisis"), max_length=200
    )
    crisis_phone = forms.CharField(label=_("Their phone number"), max_length=40, required=False)


CONTACT_OUTCOMES = [(ContactStatus.HELD, _("Held")), (ContactStatus.MISSED, _("Missed"))]


class ContactForm(Form):
    contact = forms.TypedChoiceField(label=_("Planned contact"), coerce=int)
    status = forms.ChoiceField(
        label=_("Outcome"), choices=CONTACT_OUTCOMES, widget=forms.RadioSelect
    )
    held_on = forms.DateField(label=_("Held on"), required=False, widget=DateInput)
    how = forms.ChoiceField(
        label=_("How"), choices=[("", "—"), *ContactWay.choices], required=False
    )
    who_seen = forms.CharField(label=_("Who was seen"), max_length=300, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs=TEXT), max_length=2000, required=False
    )

    def __init__(self, *args: Any, contacts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = contacts


class ClosureRequestForm(Form):
    note = forms.CharField(
        label=_("Note for the supervisor"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=2000,
        required=False,
    )
    version = VersionField()


DECISIONS = [("approve", _("Approve: close the case")), ("return", _("Return to the worker"))]


class ClosureDecisionForm(Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why it is returned"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=500,
        required=False,
    )
