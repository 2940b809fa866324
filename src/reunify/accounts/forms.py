from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from reunify.accounts.models import STAFF_ROLES, Role, Unit
from reunify.core.forms import Form, UswdsMixin, UswdsRenderer, VersionField


class SignInForm(UswdsMixin, AuthenticationForm):
    default_renderer = UswdsRenderer


class UnitForm(Form):
    name = forms.CharField(label=_("Unit name"), max_length=120)
    version = VersionField(required=False)


class StaffForm(Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(
        label=_("Role"), choices=[(r.value, r.label) for r in Role if r in STAFF_ROLES]
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    is_active = forms.BooleanField(label=_("Account is active"), required=False, initial=True)
    version = VersionField()

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class StaffCreateForm(StaffForm):
    username = forms.SlugField(label=_("User name"), max_length=150)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        help_text=_("At least 12 characters. Share it with the person privately."),
    )
    version = None  # type: ignore[assignment]

    field_order = ["username", "password", "first_name", "last_name", "email", "role", "unit"]


class SecondFactorSetupForm(Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class SecondFactorForm(Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
