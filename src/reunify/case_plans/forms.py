"""Input shapes for case-plan pages. The services and `document.validate` check the rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.case_plans.models import Rating
from reunify.cases.models import GoalKind
from reunify.core.forms import WIDGET_CLASSES, DateInput, Form, VersionField
from reunify.people.models import Person

BLANK = [("", "—")]
NEED_AREAS = [
    ("health", _("Health")),
    ("education", _("Education")),
    ("well_being", _("Well-being")),
]
OWNERS = [
    ("parent", _("Parent")),
    ("worker", _("Caseworker")),
    ("provider", _("Service provider")),
    ("resource_family", _("Resource family")),
    ("parent_partner", _("Parent partner")),
]
TASK_STATUSES = [
    ("not_started", _("Not started")),
    ("in_progress", _("In progress")),
    ("done", _("Done")),
    ("dropped", _("Dropped")),
]
CONDITION_STATUSES = [
    ("not_met", _("Not met yet")),
    ("in_progress", _("Being worked on")),
    ("met", _("Met")),
]
PERMANENCY_GOALS = dict(GoalKind.choices)


def _text(label: Any, *, rows: int = 3, required: bool = True, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class CasePlanRecordForm(Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput())
    developed_with_parents = forms.BooleanField(
        label=_("Written with the parents"), required=False, initial=True
    )
    parents_not_involved_reason = forms.CharField(
        label=_("If not, why the parents did not take part"), max_length=300, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("developed_with_parents")
            and not data.get("parents_not_involved_reason", "").strip()
        ):
            self.add_error(
                "parents_not_involved_reason",
                _("Say why the parents did not take part in the plan."),
            )
        return data


class StartForm(Form):
    confirm = forms.CharField(widget=forms.HiddenInput, initial="start")


class VersionedForm(Form):
    version = VersionField()
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=36)


class GoalForm(VersionedForm):
    change = _text(
        _("What will be different"),
        help_text=_(
            "As the parent would say it, e.g. “I will keep my children safe when I am upset.”"
        ),
    )
    safety_concern = _text(_("The safety concern it answers"))
    services = forms.CharField(
        label=_("Services that help"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One service per line."),
    )

    def clean_services(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["services"].splitlines() if line.strip()]


class ConditionForm(VersionedForm):
    text = _text(_("What must be true for the children to come home"))
    status = forms.ChoiceField(label=_("Status"), choices=CONDITION_STATUSES, initial="not_met")


class TaskForm(VersionedForm):
    text = _text(_("What will be done"), rows=2)
    owner = forms.ChoiceField(label=_("Who does it"), choices=BLANK + OWNERS)
    owner_name = forms.CharField(label=_("Their name"), max_length=200, required=False)
    due_on = forms.DateField(label=_("By when"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=TASK_STATUSES, initial="not_started")
    goal_key = forms.ChoiceField(label=_("For the goal"), choices=BLANK, required=False)

    def __init__(self, *args: Any, goals: Sequence[dict[str, Any]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal_key"].choices = BLANK + [(g["key"], g["change"][:80]) for g in goals]


class _ChildChoice(Form):
    child = forms.TypedChoiceField(label=_("Child"), coerce=int, choices=())

    def __init__(self, *args: Any, children: Sequence[Person] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [(p.pk, p.full_name) for p in children]


class NeedForm(VersionedForm, _ChildChoice):
    area = forms.ChoiceField(label=_("Area"), choices=NEED_AREAS, widget=forms.RadioSelect)
    need = _text(_("The child's need"), rows=2)
    who_meets_it = forms.CharField(label=_("Who is meeting it"), max_length=300)


class YouthForm(VersionedForm, _ChildChoice):
    own_words = _text(_("The youth's own words about the plan"), required=False)
    team_member_1 = forms.CharField(
        label=_("Team member chosen by the youth"), max_length=200, required=False
    )
    team_member_2 = forms.CharField(
        label=_("Second team member chosen by the youth"), max_length=200, required=False
    )


class EffortsForm(VersionedForm):
    agency_efforts = _text(
        _("The agency's efforts"),
        rows=5,
        required=False,
        help_text=_("Shown in the court version of the plan."),
    )


class RemoveForm(VersionedForm):
    what = forms.ChoiceField(
        choices=[("goal", "goal"), ("task", "task"), ("condition", "condition"), ("need", "need")],
        widget=forms.HiddenInput,
    )
    child = forms.IntegerField(required=False, widget=forms.HiddenInput)


class MeetingForm(Form):
    PRESENT = [("yes", _("Took part")), ("no", _("Did not take part"))]

    version = VersionField()
    held_on = forms.DateField(label=_("Meeting date"), widget=DateInput())

    def __init__(self, *args: Any, parents: Sequence[Person] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parents = list(parents)
        fields: dict[str, forms.Field] = {}
        for person in self.parents:
            fields[f"present_{person.pk}"] = forms.ChoiceField(
                label=person.full_name, choices=self.PRESENT, widget=forms.RadioSelect
            )
            fields[f"reason_{person.pk}"] = forms.CharField(
                label=_("If %(name)s did not take part, why") % {"name": person.full_name},
                max_length=300,
                required=False,
            )
        fields["youth_present"] = forms.BooleanField(label=_("The youth took part"), required=False)
        fields["resource_family_present"] = forms.BooleanField(
            label=_("The resource family took part"), required=False
        )
        fields["parent_partner_present"] = forms.BooleanField(
            label=_("A parent partner took part"), required=False
        )
        fields["others"] = forms.CharField(
            label=_("Others who took part"), max_length=300, required=False
        )
        fields["strengths"] = _text(_("The parents' strengths, in their own words"), required=False)
        fields["needs"] = _text(_("What the parents need, in their own words"), required=False)
        for name, field in fields.items():
            self.fields[name] = field
        self._apply_classes()

    def _apply_classes(self) -> None:
        # UswdsMixin styles the fields present at construction; style the ones added since.
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for kind, c in WIDGET_CLASSES.items() if isinstance(widget, kind)), "usa-input"
            )
            if css not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def attendance(self) -> list[tuple[Person, bool, str]]:
        data = self.cleaned_data
        return [
            (p, data.get(f"present_{p.pk}") == "yes", data.get(f"reason_{p.pk}", ""))
            for p in self.parents
        ]


class FinalizeForm(Form):
    version = VersionField()


class SignForm(Form):
    version = VersionField()
    signer = forms.TypedChoiceField(label=_("Who is signing"), coerce=int, choices=())
    typed_name = forms.CharField(
        label=_("Full name, typed by the signer"),
        max_length=200,
        help_text=_("Typing your name here signs this version of the plan."),
    )

    def __init__(self, *args: Any, signers: Sequence[Person] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signer"].choices = BLANK + [(p.pk, p.full_name) for p in signers]


class _GoalChoice(Form):
    goal_key = forms.ChoiceField(label=_("Goal"), choices=())

    def __init__(self, *args: Any, goals: Sequence[dict[str, Any]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal_key"].choices = [(g["key"], g["change"][:80]) for g in goals]


class ProgressForm(_GoalChoice):
    recorded_on = forms.DateField(label=_("Date"), widget=DateInput())
    rating = forms.TypedChoiceField(
        label=_("Behaviour change"), coerce=int, choices=Rating.choices, widget=forms.RadioSelect
    )
    evidence = _text(
        _("What shows it"),
        help_text=_("What you or others saw the parent do. Attendance alone is not change."),
    )


class AttendanceForm(_GoalChoice):
    service_name = forms.CharField(label=_("Service"), max_length=200)
    period_start = forms.DateField(label=_("From"), widget=DateInput())
    period_end = forms.DateField(label=_("To"), widget=DateInput())
    sessions_scheduled = forms.IntegerField(
        label=_("Sessions scheduled"), min_value=0, max_value=500
    )
    sessions_attended = forms.IntegerField(label=_("Sessions attended"), min_value=0, max_value=500)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
