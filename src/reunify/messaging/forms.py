"""Message forms: input shape and types only; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.core.forms import Form


class MessageForm(Form):
    body = forms.CharField(
        label=_("Message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachment = forms.FileField(
        label=_("Attach a photo (optional)"),
        help_text=_(
            "JPEG or PNG, up to 10 MB. Where and when the photo was taken is removed before "
            "it is stored."
        ),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )


class ThreadForm(MessageForm):
    """A new conversation: with whom (staff: a family member; family: which case, when more than
    one), its subject and its first message."""

    to = forms.TypedChoiceField(label=_("With"), coerce=int)
    subject = forms.CharField(label=_("Subject"), max_length=200, strip=False)
    field_order = ["to", "subject", "body", "attachment"]

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["to"].choices = choices
        if len(choices) == 1:
            self.fields["to"].initial = choices[0][0]
            self.fields["to"].widget = forms.HiddenInput()
