from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.contacts.models import Purpose, Seen
from reunify.core.forms import DateInput, Form
from reunify.people.models import Person


class ContactForm(Form):
    """Short enough for a phone: date, who, how, where, then the details."""

    occurred_on = forms.DateField(label=_("Date of the contact"), widget=DateInput())
    seen = forms.ChoiceField(
        label=_("Who was seen"), choices=Seen.choices, initial=Seen.CHILD, widget=forms.RadioSelect
    )
    person = forms.ModelChoiceField(
        label=_("Which person (for a parent or parent figure)"),
        queryset=Person.objects.none(),
        required=False,
    )
    face_to_face = forms.BooleanField(label=_("Face to face"), required=False, initial=True)
    in_child_residence = forms.BooleanField(
        label=_("In the child's residence"), required=False, initial=True
    )
    location_reason = forms.CharField(
        label=_("Where, and why not in the child's residence"), max_length=300, required=False
    )
    private_conversation = forms.BooleanField(
        label=_("Talked with the child privately"), required=False
    )
    purposes = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Purpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=1440, required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, adults: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if adults is not None:
            self.fields["person"].queryset = adults
