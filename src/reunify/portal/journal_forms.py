"""Input shapes of the shared-parenting journal and the resource family's journal name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.core.forms import Form
from reunify.portal.models import JournalEntry


class EntryForm(Form):
    kind = forms.ChoiceField(
        label=_("This is"), choices=JournalEntry.EntryKind.choices, initial="news"
    )
    text = forms.CharField(label=_("Your entry"), max_length=2000, widget=forms.Textarea)
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("A JPEG or PNG, up to 10 MB. Location and camera details are removed."),
    )


class HideForm(Form):
    reason = forms.CharField(label=_("Why hide it"), max_length=300)


class IdentityForm(Form):
    display_name = forms.CharField(
        label=_("Your name in the journal"),
        max_length=60,
        required=False,
        help_text=_("For example your first name. The parents read it beside your entries."),
    )
    share_surname = forms.BooleanField(
        label=_("Share our surname with the parents"), required=False
    )
