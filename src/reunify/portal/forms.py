from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.cases.models import ResourceProvider
from reunify.core.forms import Form
from reunify.people.models import Person
from reunify.portal.models import Channel, Kind


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


class InvitationForm(Form):
    kind = forms.ChoiceField(label=_("Whom to invite"), choices=Kind.choices)
    person = PersonChoiceField(
        label=_("Parent or youth"), queryset=Person.objects.none(), required=False
    )
    provider = forms.ModelChoiceField(
        label=_("Resource family"), queryset=ResourceProvider.objects.none(), required=False
    )
    channel = forms.ChoiceField(
        label=_("Send by"), choices=Channel.choices, widget=forms.RadioSelect
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        required=False,
        help_text=_("For example +1 314 555 0123."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=[("en", "English"), ("es", "Español")]
    )

    def __init__(self, *args: Any, people: Any, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["provider"].queryset = providers


class JoinForm(Form):
    username = forms.CharField(
        label=_("Choose a user name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; a short sentence is easy to remember."),
    )
    password_again = forms.CharField(
        label=_("Type the password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords are not the same."))
        return data
