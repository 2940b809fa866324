"""Input shapes for the tracing pages. Partial dates ("2016", "2016-04", "2016-04-12") are text;
the services check them (and say why when they are not dates)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.core.forms import DateInput, Form, VersionField
from reunify.tracing import services
from reunify.tracing.models import (
    ActionKind,
    ActionOutcome,
    Answer,
    CareArrangement,
    Decision,
    FollowUpKind,
    ReunificationKind,
    Sex,
)

PARTIAL_DATE_HELP = _("YYYY-MM-DD; or YYYY-MM when only the month is known; or YYYY.")
PLACE_LABELS = {
    "country": _("Country"),
    "region": _("Region or province"),
    "district": _("District"),
    "village": _("Village, town or camp"),
}


def _place_fields(prefix: str) -> dict[str, forms.Field]:
    return {
        f"{prefix}_{level}": forms.CharField(label=label, max_length=120, required=False)
        for level, label in PLACE_LABELS.items()
    }


class PlacesMixin:
    """Place hierarchies, grouped in the template by their prefix."""

    fields: dict[str, forms.Field]

    def place_groups(self) -> list[tuple[str, list[Any]]]:
        groups = []
        for prefix, label in (
            ("origin", _("Place of origin")),
            ("separation", _("Place of separation")),
        ):
            names = [f"{prefix}_{level}" for level in PLACE_LABELS]
            groups.append((str(label), [self[name] for name in names]))  # type: ignore[index]
        return groups


class ChildForm(PlacesMixin, Form):
    """The registration. Field groups (identity, separation, confidential, consent) are laid out
    by the template."""

    given_name = forms.CharField(label=_("Given name"), max_length=120)
    family_name = forms.CharField(label=_("Family name"), max_length=120, required=False)
    other_names = forms.CharField(
        label=_("Other names and nicknames"),
        max_length=300,
        required=False,
        help_text=_("As the child gives them; separate with semicolons."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    date_of_birth = forms.CharField(
        label=_("Date of birth"), max_length=10, required=False, help_text=PARTIAL_DATE_HELP
    )
    age_estimate = forms.IntegerField(
        label=_("Estimated age (years)"),
        min_value=0,
        max_value=25,
        required=False,
        help_text=_("When the date of birth is not known: the age on the registration date."),
    )
    registered_on = forms.DateField(label=_("Registration date"), widget=DateInput)
    origin_country, origin_region, origin_district, origin_village = _place_fields(
        "origin"
    ).values()
    separation_country, separation_region, separation_district, separation_village = _place_fields(
        "separation"
    ).values()
    separated_on = forms.CharField(
        label=_("Date of separation"), max_length=10, required=False, help_text=PARTIAL_DATE_HELP
    )
    father_name = forms.CharField(label=_("Father's name"), max_length=200, required=False)
    mother_name = forms.CharField(label=_("Mother's name"), max_length=200, required=False)
    caregiver_name = forms.CharField(
        label=_("Caregiver before the separation"), max_length=200, required=False
    )
    language = forms.CharField(label=_("Language"), max_length=60, required=False)
    nationality = forms.CharField(label=_("Nationality"), max_length=60, required=False)
    care_arrangement = forms.ChoiceField(
        label=_("Current care arrangement"),
        choices=[("", _("Not recorded")), *CareArrangement.choices],
        required=False,
    )
    current_location = forms.CharField(label=_("Current location"), max_length=300, required=False)
    current_caregiver = forms.CharField(
        label=_("Current caregiver"), max_length=200, required=False
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG or PNG. Location and camera data are removed when it is saved."),
    )
    consent_given = forms.BooleanField(
        label=_("The child (or their guardian) consents to tracing"), required=False
    )
    consent_on = forms.DateField(label=_("Consent given on"), widget=DateInput, required=False)

    IDENTITY = ("given_name", "family_name", "other_names", "sex", "date_of_birth", "age_estimate")
    SEPARATION = ("separated_on", "father_name", "mother_name", "caregiver_name")
    ABOUT = ("language", "nationality", "registered_on")
    CONFIDENTIAL = ("care_arrangement", "current_location", "current_caregiver", "photo")
    CONSENT = ("consent_given", "consent_on")

    def group(self, names: tuple[str, ...]) -> list[Any]:
        return [self[name] for name in names if name in self.fields]

    def identity(self) -> list[Any]:
        return self.group(self.IDENTITY)

    def separation(self) -> list[Any]:
        return self.group(self.SEPARATION)

    def about(self) -> list[Any]:
        return self.group(self.ABOUT)

    def confidential(self) -> list[Any]:
        return self.group(self.CONFIDENTIAL)

    def consent(self) -> list[Any]:
        return self.group(self.CONSENT)

    def details(self) -> services.ChildDetails:
        data = {
            key: value
            for key, value in self.cleaned_data.items()
            if key not in ("photo", "version", "remove_photo")
        }
        data["care_arrangement"] = data.get("care_arrangement") or ""
        return services.ChildDetails(**data)

    def photo_bytes(self) -> bytes | None:
        upload = self.cleaned_data.get("photo")
        return upload.read() if upload else None


class ChildEditForm(ChildForm):
    version = VersionField()
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)
    CONFIDENTIAL = (*ChildForm.CONFIDENTIAL, "remove_photo")


class RequestForm(PlacesMixin, Form):
    requester_name = forms.CharField(label=_("Requester's name"), max_length=200)
    requester_relationship = forms.CharField(
        label=_("Relationship to the children sought"),
        max_length=60,
        help_text=_("For example: father, mother, aunt, older brother."),
    )
    requester_contact = forms.CharField(
        label=_("How to reach the requester"),
        max_length=300,
        required=False,
        help_text=_("Phone, address or the office they come to. Seen by staff only."),
    )
    requested_on = forms.DateField(label=_("Date of the request"), widget=DateInput)
    language = forms.CharField(label=_("Language"), max_length=60, required=False)
    nationality = forms.CharField(label=_("Nationality"), max_length=60, required=False)
    separated_on = forms.CharField(
        label=_("Date of separation"), max_length=10, required=False, help_text=PARTIAL_DATE_HELP
    )
    separation_country, separation_region, separation_district, separation_village = _place_fields(
        "separation"
    ).values()
    origin_country, origin_region, origin_district, origin_village = _place_fields(
        "origin"
    ).values()

    REQUESTER = ("requester_name", "requester_relationship", "requester_contact", "requested_on")
    ABOUT = ("language", "nationality", "separated_on")

    def requester(self) -> list[Any]:
        return [self[name] for name in self.REQUESTER]

    def about(self) -> list[Any]:
        return [self[name] for name in self.ABOUT]

    def details(self) -> services.RequestDetails:
        return services.RequestDetails(**self.cleaned_data)


class SoughtForm(Form):
    given_name = forms.CharField(label=_("Given name"), max_length=120, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=120, required=False)
    other_names = forms.CharField(
        label=_("Other names and nicknames"),
        max_length=300,
        required=False,
        help_text=_("Separate with semicolons."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    date_of_birth = forms.CharField(
        label=_("Date of birth"), max_length=10, required=False, help_text=PARTIAL_DATE_HELP
    )
    age_at_separation = forms.IntegerField(
        label=_("Age at separation (years)"), min_value=0, max_value=25, required=False
    )
    father_name = forms.CharField(label=_("Father's name"), max_length=200, required=False)
    mother_name = forms.CharField(label=_("Mother's name"), max_length=200, required=False)

    def sought(self) -> services.SoughtDetails | None:
        data = getattr(self, "cleaned_data", None)
        if not data or not (data.get("given_name") or "").strip():
            return None
        return services.SoughtDetails(**data)


SoughtFormSet = forms.formset_factory(SoughtForm, extra=0, min_num=1, max_num=10)


class ConfirmForm(Form):
    confirm = forms.ChoiceField(choices=[("yes", "yes")], widget=forms.HiddenInput)


class RejectForm(ConfirmForm):
    reason = forms.CharField(
        label=_("Why it is not the same child"),
        max_length=300,
        help_text=_("The pair will not be proposed again."),
    )


class CloseForm(ConfirmForm):
    reason = forms.CharField(
        label=_("Why the case closes"),
        max_length=300,
        required=False,
        help_text=_("Required unless the child was reunified and found stable at follow-up."),
    )


class ActionForm(Form):
    on = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Type of tracing"), choices=ActionKind.choices)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ActionOutcome.choices)


def _yes_no() -> list[tuple[str, Any]]:
    return [("yes", _("Yes")), ("no", _("No"))]


class ChildInterviewForm(Form):
    interviewee = forms.CharField(widget=forms.HiddenInput, initial="child")
    on = forms.DateField(label=_("Date of the interview"), widget=DateInput)
    recognises = forms.ChoiceField(
        label=_("Does the child recognise the adult?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
    )
    wishes = forms.ChoiceField(
        label=_("Does the child wish to be reunified with them?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
    )
    consistent = forms.ChoiceField(
        label=_("Is the child's account consistent with the adult's?"),
        choices=_yes_no,
        widget=forms.RadioSelect,
    )
    photo_among_others = forms.BooleanField(
        label=_("The child picked the adult's photo out from among others"), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000, required=False
    )

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["consistent"] = data["consistent"] == "yes"
        return data


class AdultInterviewForm(Form):
    interviewee = forms.CharField(widget=forms.HiddenInput, initial="adult")
    on = forms.DateField(label=_("Date of the interview"), widget=DateInput)
    willing = forms.ChoiceField(
        label=_("Is the adult willing to care for the child?"),
        choices=_yes_no,
        widget=forms.RadioSelect,
    )
    able = forms.ChoiceField(
        label=_("Is the adult able to care for the child?"),
        choices=_yes_no,
        widget=forms.RadioSelect,
    )
    alternate_caregiver = forms.CharField(
        label=_("Alternate caregiver, if not"), max_length=300, required=False
    )
    consistent = forms.ChoiceField(
        label=_("Is the adult's account consistent with the child's?"),
        choices=_yes_no,
        widget=forms.RadioSelect,
    )
    community = forms.BooleanField(
        label=_("Confirmed by the community or local authorities"), required=False
    )
    documents = forms.BooleanField(label=_("Confirmed by documents"), required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000, required=False
    )

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for key in ("consistent", "willing", "able"):
            data[key] = data[key] == "yes"
        return data


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    match = forms.TypedChoiceField(
        label=_("With the verified adult"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, matches: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["match"].choices = [("", _("None")), *matches]  # type: ignore[attr-defined]


class ReunificationForm(Form):
    match = forms.TypedChoiceField(label=_("Verified adult"), coerce=int)
    on = forms.DateField(label=_("Date of reunification"), widget=DateInput)
    adult_name = forms.CharField(
        label=_("Reunified with"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the requester of the verified request."),
    )
    relationship = forms.CharField(label=_("Relationship to the child"), max_length=60)
    kind = forms.ChoiceField(label=_("Type"), choices=ReunificationKind.choices)
    follow_up_needed = forms.BooleanField(label=_("Follow-up needed"), required=False, initial=True)

    def __init__(self, *args: Any, matches: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["match"].choices = matches  # type: ignore[attr-defined]


class FollowUpForm(Form):
    on = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Type"), choices=FollowUpKind.choices)
    stable = forms.ChoiceField(
        label=_("Is the child's situation stable?"), choices=_yes_no, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000, required=False
    )

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["stable"] = data["stable"] == "yes"
        return data
