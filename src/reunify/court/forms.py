"""Input shapes for court pages. Forms check types and shapes; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.core.forms import DateInput, Form, VersionField
from reunify.court.models import FindingKind, Hearing, HearingKind, OrderKind, PetitionKind
from reunify.people.models import Person

BLANK = [("", "—")]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


class HearingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Hearing) -> str:
        when = obj.held_on or obj.scheduled_for
        return f"{obj.get_kind_display()} — {date_format(when, 'DATE_FORMAT')}"


def children_of(case: FamilyCase) -> Any:
    return Person.objects.filter(
        participations__case=case, participations__role=ParticipantRole.CHILD
    ).order_by("date_of_birth", "id")


class CaseFormMixin:
    """Limits the child and hearing choices to the case's children and held hearings."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, case: FamilyCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        if "child" in self.fields:
            self.fields["child"].queryset = children_of(case)  # type: ignore[attr-defined]
        if "parent" in self.fields:
            self.fields["parent"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
                participations__case=case, participations__role=ParticipantRole.PARENT
            ).order_by("last_name", "first_name")
        if "hearing" in self.fields:
            self.fields["hearing"].queryset = case.hearings.filter(  # type: ignore[attr-defined]
                held_on__isnull=False
            ).order_by("-held_on", "-id")


class HearingScheduleForm(Form):
    kind = forms.ChoiceField(label=_("Kind of hearing"), choices=BLANK + HearingKind.choices)
    scheduled_for = forms.DateField(label=_("Date"), widget=DateInput())
    scheduled_time = forms.TimeField(label=_("Time (optional)"), required=False, widget=TimeInput())
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, max_length=2000, widget=_textarea()
    )


class HearingHeldForm(Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    attendees = forms.CharField(
        label=_("Who attended"),
        required=False,
        max_length=2000,
        widget=_textarea(),
        help_text=_("Parents, child, attorneys, guardian ad litem or CASA, relatives, others."),
    )
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, max_length=4000, widget=_textarea(4)
    )
    version = VersionField()


class HearingContinueForm(Form):
    new_date = forms.DateField(label=_("Continued to (new date)"), widget=DateInput())
    new_time = forms.TimeField(label=_("New time (optional)"), required=False, widget=TimeInput())
    reason = forms.CharField(label=_("Reason for the continuance"), max_length=300)
    version = VersionField()


class HearingVacateForm(Form):
    reason = forms.CharField(label=_("Reason the hearing was vacated"), max_length=300)
    version = VersionField()


class FindingForm(CaseFormMixin, Form):
    child = ChildChoiceField(label=_("Child"), queryset=Person.objects.none(), empty_label="—")
    kind = forms.ChoiceField(label=_("Finding"), choices=BLANK + FindingKind.choices)
    hearing = HearingChoiceField(
        label=_("Made at the hearing (optional)"),
        queryset=Hearing.objects.none(),
        required=False,
        empty_label=_("Not at a hearing"),
    )
    made_on = forms.DateField(label=_("Made on"), widget=DateInput())
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=_textarea()
    )


class OrderForm(CaseFormMixin, Form):
    kind = forms.ChoiceField(label=_("Kind of order"), choices=BLANK + OrderKind.choices)
    child = ChildChoiceField(
        label=_("Child"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("All children of the case"),
    )
    parent = ChildChoiceField(
        label=_("Parent (termination of parental rights, no-contact order)"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Not about one parent"),
    )
    hearing = HearingChoiceField(
        label=_("Issued at the hearing (optional)"),
        queryset=Hearing.objects.none(),
        required=False,
        empty_label=_("Not at a hearing"),
    )
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    effective_until = forms.DateField(
        label=_("Effective until (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "For a trial home visit authorization: the end of the visit the court ordered, "
            "needed when the visit runs longer than six months."
        ),
    )
    text = forms.CharField(label=_("What the court ordered"), max_length=4000, widget=_textarea(4))


class PetitionForm(CaseFormMixin, Form):
    kind = forms.ChoiceField(label=_("Kind of petition"), choices=BLANK + PetitionKind.choices)
    child = ChildChoiceField(
        label=_("Child"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("All children of the case"),
    )
    filed_on = forms.DateField(label=_("Filed on"), widget=DateInput())
    grounds = forms.CharField(label=_("Grounds"), max_length=4000, widget=_textarea(4))
