from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.core.forms import DateInput, Form


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
