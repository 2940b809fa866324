"""Input shapes of the birth-parent pages and of the worker's page to share a document."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.core.forms import Form
from reunify.portal.models import PortalAccount, SessionAnswer


class SessionAnswerForm(Form):
    answer = forms.ChoiceField(label=_("Your answer"), choices=SessionAnswer.Answer.choices)
    note = forms.CharField(
        label=_("Anything the worker should know (optional)"), max_length=300, required=False
    )


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PortalAccount) -> str:
        return obj.person.full_name if obj.person else obj.user.get_username()


class DocumentShareForm(Form):
    account = AccountChoiceField(label=_("Share with"), queryset=PortalAccount.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A PDF, a JPEG photo or a PNG image, up to 10 MB. Photos are cleaned of location and "
            "camera details."
        ),
    )

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
