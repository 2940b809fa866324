from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.core.forms import DateInput, Form


class VisitForm(Form):
    occurred_on = forms.DateField(label=_("Date of the visit"), widget=DateInput())
    face_to_face = forms.BooleanField(label=_("Face to face"), required=False, initial=True)
    in_child_residence = forms.BooleanField(
        label=_("In the child's residence"), required=False, initial=True
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
