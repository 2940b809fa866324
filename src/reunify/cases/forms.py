"""Input shapes for case pages. Forms check types and shapes; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reunify.accounts.models import User
from reunify.cases.models import (
    DischargeReason,
    GoalKind,
    IntakeReport,
    LegalAuthority,
    PlacementEndReason,
    PlacementSetting,
    ReentryFactor,
    RemovalReason,
    ResourceProvider,
)
from reunify.cases.services import ChildInput, OtherInput, ParentInput, PlacementInput, RemovalInput
from reunify.core.forms import DateInput, Form, VersionField
from reunify.people.forms import AddressFieldsMixin, PersonFieldsForm
from reunify.people.models import FamilySide, ParentType, RelationshipKind

BLANK = [("", "—")]


class ProviderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ResourceProvider) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class PlacementFieldsForm(Form):
    setting = forms.ChoiceField(
        label=_("Placement setting"), choices=BLANK + PlacementSetting.choices
    )
    provider = ProviderChoiceField(
        label=_("Resource family or facility"),
        queryset=ResourceProvider.objects.none(),
        required=False,
    )
    is_kinship = forms.BooleanField(
        label=_("Placed with kin (relative or family friend)"), required=False
    )
    distance_miles = forms.DecimalField(
        label=_("Distance from the parents' home, in miles"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=1,
        help_text=_("Computed from the addresses when both have coordinates."),
    )
    school = forms.CharField(
        label=_("School the child attends from this placement"),
        max_length=200,
        required=False,
        help_text=_("Confidential like the resource family's address: never shown to parents."),
    )

    def __init__(self, *args: Any, providers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if providers is not None:
            self.fields["provider"].queryset = providers

    def placement_input(self, started_on: Any) -> PlacementInput:
        data = self.cleaned_data
        return PlacementInput(
            setting=data["setting"],
            started_on=started_on,
            provider=data.get("provider"),
            is_kinship=bool(data.get("is_kinship")),
            distance_miles=data.get("distance_miles"),
            school=(data.get("school") or "").strip(),
        )


class RemovalForm(PlacementFieldsForm):
    """A child enters care: the removal, the first placement and the goals."""

    removed_on = forms.DateField(label=_("Removal date"), widget=DateInput())
    legal_authority = forms.ChoiceField(
        label=_("Legal authority"), choices=BLANK + LegalAuthority.choices
    )
    reasons = forms.MultipleChoiceField(
        label=_("Reasons for removal"),
        choices=RemovalReason.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    goal = forms.ChoiceField(
        label=_("Permanency goal"), choices=GoalKind.choices, initial=GoalKind.REUNIFICATION
    )
    concurrent_goal = forms.ChoiceField(
        label=_("Concurrent goal (optional)"), choices=BLANK + GoalKind.choices, required=False
    )

    REMOVAL_FIELDS = [
        "removed_on",
        "legal_authority",
        "reasons",
        "setting",
        "provider",
        "is_kinship",
        "distance_miles",
        "school",
        "goal",
        "concurrent_goal",
    ]
    field_order = REMOVAL_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("concurrent_goal") and data.get("concurrent_goal") == data.get("goal"):
            self.add_error(
                "concurrent_goal", _("The concurrent goal must differ from the primary goal.")
            )
        return data

    def removal_input(self) -> RemovalInput:
        data = self.cleaned_data
        return RemovalInput(
            removed_on=data["removed_on"],
            legal_authority=data["legal_authority"],
            reasons=data["reasons"],
            placement=self.placement_input(data["removed_on"]),
            goal=data["goal"],
            concurrent_goal=data.get("concurrent_goal", ""),
        )


class ChildForm(PersonFieldsForm, RemovalForm):
    """A child of the family and, when removed, the removal, first placement and goals. The
    removal fields are required only when "removed" is ticked."""

    removed = forms.BooleanField(
        label=_("This child was removed from home"), required=False, initial=True
    )

    REQUIRED_WHEN_REMOVED = (
        ("removed_on", _("Enter the removal date.")),
        ("legal_authority", _("Choose the legal authority for the removal.")),
        ("reasons", _("Give at least one reason for the removal.")),
        ("setting", _("Choose the placement setting.")),
    )
    field_order = [*PersonFieldsForm.base_fields, "removed", *RemovalForm.REMOVAL_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, _message in self.REQUIRED_WHEN_REMOVED:
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("removed"):
            for name, message in self.REQUIRED_WHEN_REMOVED:
                if not data.get(name):
                    self.add_error(name, message)
        return data

    def child_input(self) -> ChildInput:
        removal = self.removal_input() if self.cleaned_data.get("removed") else None
        return ChildInput(person=self.person_input(), removal=removal)


class ParentForm(PersonFieldsForm, AddressFieldsMixin):
    parent_type = forms.ChoiceField(
        label=_("Parent type"), choices=ParentType.choices, initial=ParentType.BIOLOGICAL
    )
    is_custodial = forms.BooleanField(
        label=_("Custodial parent (the child lived with them)"), required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    field_order = [
        "first_name",
        "middle_name",
        "last_name",
        "date_of_birth",
        "sex",
        "races",
        "hispanic_ethnicity",
        "primary_language",
        "needs_interpreter",
        "tribal_affiliation",
        "icwa_status",
        "parent_type",
        "is_custodial",
        "phone",
        "email",
        "line1",
        "city",
        "state",
        "postal_code",
        "latitude",
        "longitude",
    ]

    def parent_input(self) -> ParentInput:
        return ParentInput(
            person=self.person_input(address=self.address_input()),
            parent_type=self.cleaned_data["parent_type"],
            is_custodial=bool(self.cleaned_data.get("is_custodial")),
        )


OTHER_KINDS = [
    (k, label)
    for k, label in RelationshipKind.choices
    if k
    not in (
        RelationshipKind.PARENT,
        RelationshipKind.SIBLING,
        RelationshipKind.HALF_SIBLING,
        RelationshipKind.PARTNER,
    )
]


class OtherForm(Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    kind = forms.ChoiceField(
        label=_("Relationship to the children"),
        choices=OTHER_KINDS,
        initial=RelationshipKind.GRANDPARENT,
    )
    side = forms.ChoiceField(label=_("Family side"), choices=FamilySide.choices, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    primary_language = forms.CharField(label=_("Primary language"), max_length=60, required=False)

    def other_input(self) -> OtherInput:
        from reunify.people.services import PersonInput

        data = self.cleaned_data
        return OtherInput(
            person=PersonInput(
                first_name=data["first_name"].strip(),
                last_name=data["last_name"].strip(),
                phone=data.get("phone", "").strip(),
                primary_language=data.get("primary_language", "").strip(),
            ),
            kind=data["kind"],
            side=data.get("side", ""),
        )


class CaseOpenForm(Form):
    name = forms.CharField(
        label=_("Family name for the case"),
        max_length=120,
        help_text=_("Usually the family's surname, e.g. Rivera-Lopez."),
    )
    opened_on = forms.DateField(label=_("Opened on"), widget=DateInput())


ChildFormSet = forms.formset_factory(ChildForm, extra=0, min_num=1, validate_min=True, max_num=12)
ParentFormSet = forms.formset_factory(ParentForm, extra=2, max_num=6)
OtherFormSet = forms.formset_factory(OtherForm, extra=1, max_num=12)


class PlacementChangeForm(PlacementFieldsForm):
    started_on = forms.DateField(label=_("New placement starts on"), widget=DateInput())
    end_reason = forms.ChoiceField(
        label=_("Why the current placement ends"), choices=BLANK + PlacementEndReason.choices
    )
    version = VersionField()

    field_order = [
        "started_on",
        "end_reason",
        "setting",
        "provider",
        "is_kinship",
        "distance_miles",
    ]


class DischargeForm(Form):
    discharged_on = forms.DateField(label=_("Discharge date"), widget=DateInput())
    reason = forms.ChoiceField(
        label=_("Reason for discharge"), choices=BLANK + DischargeReason.choices
    )
    version = VersionField()


class GoalForm(Form):
    SLOT_CHOICES = [("primary", _("Primary goal")), ("concurrent", _("Concurrent goal"))]

    slot = forms.ChoiceField(
        label=_("Which goal"), choices=SLOT_CHOICES, widget=forms.RadioSelect, initial="primary"
    )
    kind = forms.ChoiceField(
        label=_("Goal"),
        choices=[("", _("No concurrent goal (end it)")), *GoalKind.choices],
        required=False,
    )
    on = forms.DateField(label=_("Effective date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()


class WorkerChoiceField(forms.ModelChoiceField):
    """Shows each worker's open caseload so the supervisor can balance it while choosing."""

    def label_from_instance(self, obj: User) -> str:
        count = getattr(obj, "open_cases", None)
        if count is None:
            return str(obj)
        return ngettext(
            "%(name)s (%(count)s open case)", "%(name)s (%(count)s open cases)", count
        ) % {
            "name": obj,
            "count": count,
        }


class ReassignForm(Form):
    worker = WorkerChoiceField(label=_("Assign to"), queryset=User.objects.none(), empty_label="—")
    reason = forms.CharField(label=_("Reason"), max_length=200)
    version = VersionField()

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class RelativeNoticeForm(Form):
    sent_on = forms.DateField(label=_("Notices sent on"), widget=DateInput())
    relatives_notified = forms.IntegerField(
        label=_("Number of adult relatives notified"), min_value=0, initial=1
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Who was found and how they were told; note any domestic-violence exception."),
    )


class ConcurrentReviewForm(Form):
    LIKELY = [
        ("yes", _("Yes, reunification within 6 months is likely")),
        ("no", _("No, it is unlikely: plan concurrently")),
    ]

    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DateInput())
    likely = forms.ChoiceField(
        label=_("Is reunification within 6 months likely?"),
        choices=LIKELY,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ReentryReviewForm(Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DateInput())
    factors = forms.MultipleChoiceField(
        label=_("What contributed"),
        choices=ReentryFactor.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("What the team thinks contributed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )


class HandoverAcknowledgeForm(Form):
    confirm = forms.BooleanField(
        label=_("I have read this handover summary"),
        error_messages={"required": _("Tick the box to say you have read the summary.")},
    )


class IntakeReportForm(Form):
    """The report that brought the family in and what the investigation found. Confidential:
    staff only (reliability.md AZ-7)."""

    received_on = forms.DateField(label=_("Report received on"), widget=DateInput())
    reporter_role = forms.ChoiceField(
        label=_("Who reported"), choices=BLANK + IntakeReport.ReporterRole.choices
    )
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=200, required=False)
    reporter_contact = forms.CharField(
        label=_("Reporter's phone or e-mail"), max_length=200, required=False
    )
    allegations = forms.CharField(
        label=_("Allegation details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    narrative = forms.CharField(
        label=_("Investigation narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    version = VersionField(required=False)  # absent for the first report
