from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reunify.core.forms import Form
from reunify.services.hsds_schema import LANGUAGE_NAMES
from reunify.services.models import NEED_CATEGORY_CHOICES, Cost

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
CASE_CHOICES_SHOWN = 200  # a longer list is no use on a phone; other cases come by ?case=<id>
DISTANCES = [("5", _("5 miles")), ("10", _("10 miles")), ("25", _("25 miles"))]
DISTANCES += [("50", _("50 miles")), ("", _("Any distance"))]
LOW_COST = "low"
COST_CHOICES = [
    ("", _("Any cost")),
    (Cost.FREE, _("Free")),
    (LOW_COST, _("Free or sliding scale")),
]
_COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[, ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
_ZIP = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")


def cost_filter(value: str) -> list[str] | None:
    """The cost categories a choice of COST_CHOICES stands for."""
    if value == LOW_COST:
        return [Cost.FREE, Cost.SLIDING_SCALE]
    return [value] if value else None


class ServiceSearchForm(Form):
    """Every field is optional; an empty form lists the whole directory by name."""

    category = forms.ChoiceField(
        label=_("Need"), required=False, choices=[("", _("Any need")), *NEED_CATEGORY_CHOICES]
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    case = forms.ModelChoiceField(
        label=_("Near the family of case"),
        required=False,
        queryset=None,
        empty_label=_("No case"),
    )
    place = forms.CharField(
        label=_("Or near a ZIP code or coordinates"),
        help_text=_("For example 98402, or 47.25, -122.44"),
        required=False,
        max_length=60,
    )
    within_miles = forms.TypedChoiceField(
        label=_("Distance"),
        required=False,
        choices=DISTANCES,
        coerce=int,
        empty_value=None,
        initial="25",
    )
    cost = forms.ChoiceField(label=_("Cost"), required=False, choices=COST_CHOICES)
    accepting = forms.BooleanField(label=_("Accepting new clients only"), required=False)
    q = forms.CharField(label=_("Words in the name or description"), required=False, max_length=100)

    def __init__(self, *args: Any, cases: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        field.queryset = cases
        shown = list(cases.order_by("name", "number")[:CASE_CHOICES_SHOWN])
        chosen = self.data.get("case") if self.is_bound else None
        if chosen and str(chosen).isdigit() and all(str(c.pk) != chosen for c in shown):
            shown += list(cases.filter(pk=int(chosen)))
        field.widget.choices = [("", field.empty_label), *((c.pk, str(c)) for c in shown)]
        self.fields["language"].choices = [
            ("", _("Any language")),
            *sorted(((code, _(name)) for code, name in LANGUAGE_NAMES.items()), key=_label),
        ]

    def clean_place(self) -> tuple[str, Any] | None:
        """("zip", "98402") or ("coordinates", (lat, lon)), or None when empty."""
        text = self.cleaned_data["place"].strip()
        if not text:
            return None
        if match := _ZIP.match(text):
            return ("zip", match.group(1))
        if match := _COORDINATES.match(text):
            latitude, longitude = float(match.group(1)), float(match.group(2))
            if -90 <= latitude <= 90 and -180 <= longitude <= 180:
                return ("coordinates", (latitude, longitude))
        raise forms.ValidationError(
            _("Enter a five-digit ZIP code, or a latitude and longitude such as 47.25, -122.44.")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("case") and cleaned.get("place"):
            self.add_error("place", _("Choose a case or a place, not both."))
        return cleaned


def _label(choice: tuple[str, Any]) -> str:
    return str(choice[1])


class DirectoryImportForm(Form):
    file = forms.FileField(
        label=_("HSDS file"),
        help_text=_(
            "A .zip of HSDS CSV files (organizations.csv, services.csv, …) or a .json file."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": MAX_UPLOAD_BYTES >> 20}
            )
        return upload
