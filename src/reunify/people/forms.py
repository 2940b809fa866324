"""Input shapes for people: the person fields shared by every form that records someone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.core.forms import DateInput, Form, VersionField
from reunify.people.models import HispanicEthnicity, IcwaStatus, Race, Sex
from reunify.people.services import AddressInput, PersonInput


class PersonFieldsForm(Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    middle_name = forms.CharField(label=_("Middle name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    races = forms.MultipleChoiceField(
        label=_("Race (as the person states it; choose all that apply)"),
        choices=Race.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hispanic_ethnicity = forms.ChoiceField(
        label=_("Hispanic or Latino ethnicity"),
        choices=HispanicEthnicity.choices,
        initial=HispanicEthnicity.UNKNOWN,
    )
    primary_language = forms.CharField(label=_("Primary language"), max_length=60, required=False)
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    tribal_affiliation = forms.CharField(
        label=_("Tribal affiliation"), max_length=120, required=False
    )
    icwa_status = forms.ChoiceField(
        label=_("ICWA applicability"), choices=IcwaStatus.choices, initial=IcwaStatus.UNKNOWN
    )

    def person_input(
        self, *, address: AddressInput | None = None, aliases: Any = ()
    ) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            first_name=data["first_name"].strip(),
            middle_name=data.get("middle_name", "").strip(),
            last_name=data["last_name"].strip(),
            date_of_birth=data.get("date_of_birth"),
            sex=data.get("sex") or Sex.UNKNOWN,
            races=data.get("races") or (),
            hispanic_ethnicity=data.get("hispanic_ethnicity") or HispanicEthnicity.UNKNOWN,
            primary_language=data.get("primary_language", "").strip(),
            needs_interpreter=bool(data.get("needs_interpreter")),
            tribal_affiliation=data.get("tribal_affiliation", "").strip(),
            icwa_status=data.get("icwa_status") or IcwaStatus.UNKNOWN,
            phone=data.get("phone", "").strip(),
            email=data.get("email", "").strip(),
            protected_location=data.get("protected_location", "").strip(),
            aliases=aliases,
            address=address,
        )


class AddressFieldsMixin(forms.Form):
    line1 = forms.CharField(label=_("Street address"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    state = forms.CharField(
        label=_("State"), max_length=2, required=False, help_text=_("Two letters, e.g. TX")
    )
    postal_code = forms.CharField(label=_("ZIP code"), max_length=10, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(data.get(f) for f in ("line1", "city", "state")) and not all(
            data.get(f) for f in ("line1", "city", "state")
        ):
            raise forms.ValidationError(_("An address needs a street, a city and a state."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data

    def address_input(self) -> AddressInput | None:
        data = self.cleaned_data
        if not data.get("line1"):
            return None
        return AddressInput(
            line1=data["line1"].strip(),
            city=data["city"].strip(),
            state=data["state"].strip().upper(),
            postal_code=data.get("postal_code", "").strip(),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
        )


class PersonEditForm(PersonFieldsForm, AddressFieldsMixin):
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    aliases = forms.CharField(
        label=_("Other names (aliases)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: first name, then last name."),
    )
    protected_location = forms.CharField(
        label=_("Actual location (address confidentiality program)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only for a participant in a state address confidentiality program: the home address "
            "below is then the program's substitute address. Staff see this; family members never do."
        ),
    )
    version = VersionField()

    field_order = [
        "first_name",
        "middle_name",
        "last_name",
        "aliases",
        "date_of_birth",
        "sex",
        "races",
        "hispanic_ethnicity",
        "primary_language",
        "needs_interpreter",
        "tribal_affiliation",
        "icwa_status",
        "phone",
        "email",
        "line1",
        "city",
        "state",
        "postal_code",
        "latitude",
        "longitude",
        "protected_location",
    ]

    def clean_aliases(self) -> list[tuple[str, str]]:
        aliases = []
        for line in self.cleaned_data.get("aliases", "").splitlines():
            parts = line.split()
            if parts:
                aliases.append((" ".join(parts[:-1]), parts[-1]))
        return aliases
