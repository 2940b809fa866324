"""Input shapes for family-time pages. The services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.core.forms import DateInput, Form, VersionField
from reunify.court.models import CourtOrder
from reunify.family_time import rules
from reunify.family_time.models import (
    WEEKDAYS,
    CancelledBy,
    Level,
    LocationType,
    PlanKind,
    Quality,
)
from reunify.people.models import Person

BLANK = [("", "—")]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


class PlanForm(Form):
    CONFIDENTIAL = [
        ("", _("Default: confidential for a resource family's home, otherwise not")),
        ("yes", _("Confidential: never shown to the parents")),
        ("no", _("Not confidential")),
    ]

    kind = forms.ChoiceField(
        label=_("Family time with"),
        choices=PlanKind.choices,
        initial=PlanKind.PARENT,
        required=False,
        help_text=_(
            "A child can have one plan with the parents, one with siblings, and one with relatives."
        ),
    )
    level = forms.ChoiceField(label=_("Level"), choices=BLANK + Level.choices)
    participants = PersonChoices(
        label=_("Who attends with the child"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Parents, siblings in other placements, relatives."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=15, max_value=1440, initial=60
    )
    location_type = forms.ChoiceField(label=_("Location"), choices=BLANK + LocationType.choices)
    address = forms.CharField(label=_("Address or place"), max_length=300, required=False)
    location_confidential = forms.ChoiceField(
        label=_("Is the location confidential?"), choices=CONFIDENTIAL, required=False
    )
    supervisor = forms.CharField(
        label=_("Supervised or monitored by"), max_length=200, required=False
    )
    transport = forms.CharField(label=_("Transport"), max_length=300, required=False)
    not_permitted = forms.CharField(label=_("Who may not attend"), max_length=300, required=False)
    court_floor = forms.ChoiceField(
        label=_("Court-ordered floor"),
        choices=BLANK + Level.choices,
        required=False,
        help_text=_("The least restrictive level the court allows. No change may go past it."),
    )
    court_order = forms.ModelChoiceField(
        label=_("Court order setting the floor"),
        queryset=CourtOrder.objects.none(),
        required=False,
    )
    effective_from = forms.DateField(label=_("Effective from"), widget=DateInput())
    effective_to = forms.DateField(label=_("Effective to"), widget=DateInput(), required=False)
    next_review_on = forms.DateField(label=_("Next review"), widget=DateInput(), required=False)

    def __init__(
        self,
        *args: Any,
        people: Any = None,
        orders: Any = None,
        levels: list[tuple[str, str]] | None = None,
        kinds: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if levels is not None:
            self.fields["level"].choices = BLANK + levels
            self.fields["court_floor"].choices = BLANK + levels
        if kinds is not None:
            self.fields["kind"].choices = [(k, v) for k, v in PlanKind.choices if k in kinds]
        if people is not None:
            self.fields["participants"].queryset = people
        if orders is not None:
            self.fields["court_order"].queryset = orders

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["kind"] = data.get("kind") or PlanKind.PARENT
        data["location_confidential"] = {"yes": True, "no": False}.get(
            data.get("location_confidential") or ""
        )
        return data


class SessionForm(Form):
    """Quick to fill on a phone: what happened first, details after."""

    STATUSES = [("held", _("Held")), ("cancelled", _("Cancelled")), ("no_show", _("No-show"))]

    status = forms.ChoiceField(label=_("What happened"), choices=STATUSES, widget=forms.RadioSelect)
    cancelled_by = forms.ChoiceField(
        label=_("Cancelled by"),
        choices=CancelledBy.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    cancel_reason = forms.CharField(label=_("Why it was cancelled"), max_length=300, required=False)
    attendees = forms.CharField(label=_("Who came"), max_length=300, required=False)
    actual_minutes = forms.IntegerField(
        label=_("Minutes it lasted"), min_value=0, max_value=1440, required=False
    )
    quality = forms.TypedChoiceField(
        label=_("Quality of the visit"),
        choices=Quality.choices,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    observations = forms.CharField(
        label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    safety_incident = forms.BooleanField(label=_("There was a safety incident"), required=False)
    safety_note = forms.CharField(
        label=_("What happened (safety incident)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = VersionField()


class ProposeForm(Form):
    to_level = forms.ChoiceField(label=_("Proposed level"), choices=BLANK + Level.choices)

    def __init__(self, *args: Any, levels: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if levels is not None:
            self.fields["to_level"].choices = BLANK + levels

    reason = forms.CharField(label=_("Reason"), max_length=300)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sessions held, their quality, progress on the case plan."),
    )
    version = VersionField()


class DecideForm(Form):
    DECISIONS = [("approve", _("Approve")), ("reject", _("Reject"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"), max_length=300, required=False, help_text=_("Required when rejecting.")
    )
    version = VersionField()


class RestrictForm(Form):
    to_level = forms.ChoiceField(label=_("Restrict to"), choices=BLANK + Level.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        current: str | None = None,
        levels: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = levels if levels is not None else list(Level.choices)
        self.fields["to_level"].choices = BLANK + [
            (value, label)
            for value, label in choices
            if not current or rules.is_less_restrictive(current, value)
        ]


class LevelNamesForm(Form):
    """The agency's names for the ladder's levels: an English and a Spanish name per level, each
    optional (blank keeps the default)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for level in Level.values:
            for language, label in (("en", _("Name in English")), ("es", _("Name in Spanish"))):
                self.fields[f"{level}-name_{language}"] = forms.CharField(
                    label=label, max_length=60, required=False
                )

    def rows(self) -> list[tuple[str, Any, Any]]:
        return [
            (str(default), self[f"{level}-name_en"], self[f"{level}-name_es"])
            for level, default in Level.choices
        ]

    def names(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            level: (data[f"{level}-name_en"].strip(), data[f"{level}-name_es"].strip())
            for level in Level.values
        }
