"""Forms built from an instrument's definition: input shape and types only. Whether an answer is
required, needs a note or a reason, or is asked at all is the scoring engine's rule, checked by
the service when the response is recorded (a refusal comes back on the item's field)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.assessments import display
from reunify.assessments.instruments import (
    CHILD,
    DECISION,
    DISCRETIONARY,
    POLICY,
    Instrument,
    Item,
    Override,
    Scale,
    Section,
    Value,
)
from reunify.assessments.models import ConditionStatus
from reunify.assessments.scoring import HOUSEHOLD_KEY, Answer, OverrideRequest, asked_preview
from reunify.assessments.selectors import VisitationPrefill
from reunify.people.models import Person

NOTE = "note"
FOLLOW_UP = "follow_up"
REASON = "reason"


def field_name(item_id: str, child: str = HOUSEHOLD_KEY) -> str:
    """The name the service's errors use: `item` or `item[child key]`."""
    return f"{item_id}[{child}]" if child else item_id


def _choices(scale: Scale) -> list[tuple[str, str]]:
    if scale.options:
        return [(str(o.value), display.localized(o.label, o.label_es)) for o in scale.options]
    return [
        (str(v), f"{v} — {scale.labels[v]}" if v in scale.labels else str(v))
        for v in scale.values()
        if isinstance(v, int)
    ]


def _value(scale: Scale, raw: Any) -> Value | None:
    """The typed scale value of a submitted string; None when blank."""
    if raw in (None, ""):
        return None
    if scale.options:
        return next((o.value for o in scale.options if str(o.value) == str(raw)), str(raw))
    return int(raw) if not isinstance(raw, int) else raw


@dataclass
class ItemRow:
    item: Item
    child: str
    value: forms.BoundField
    note: forms.BoundField | None = None
    follow_up: forms.BoundField | None = None
    reason: forms.BoundField | None = None
    prefilled: Value | None = None
    prefilled_label: str = ""


@dataclass
class Block:
    """One section for one child (or the household)."""

    section: Section
    title: str
    child: Person | None
    rows: list[ItemRow] = field(default_factory=list)
    prefill: VisitationPrefill | None = None
    asked_when: str = ""
    # For a section with `asked_when`: whether the answers so far ask it (None: not yet known).
    asked: bool | None = True


@dataclass
class OverrideRow:
    override: Override
    child: Person | None
    choice: forms.BoundField
    reason: forms.BoundField


class ResponseForm(forms.Form):
    """One administration of `instrument`: the date, timepoint and children it covers, each
    item (per child where the section says so) with its evidence note, follow-up or reason,
    and the overrides with their reasons."""

    recorded_on = forms.DateField(
        label=_("Date of the assessment"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self,
        *args: Any,
        instrument: Instrument,
        children: list[Person],
        prefill: dict[str, VisitationPrefill] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.children_offered = children
        self.prefill = prefill or {}
        if instrument.timepoints:
            self.fields["timepoint"] = forms.ChoiceField(
                label=_("Timepoint"),
                choices=[(t, display.timepoint_label(t)) for t in instrument.timepoints],
                widget=forms.RadioSelect,
            )
        self.fields["children"] = forms.MultipleChoiceField(
            label=_("Children this assessment covers"),
            choices=[(str(c.pk), c.full_name) for c in children],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            initial=[str(c.pk) for c in children],
        )
        self._feeds = self._asking_items(instrument)
        if self._feeds:
            self.fields["children"].widget.attrs["data-asks"] = "true"
        for section in instrument.sections:
            units = [str(c.pk) for c in children] if section.per == CHILD else [HOUSEHOLD_KEY]
            for unit in units:
                for item in section.items:
                    self._add_item(item, unit)
        for override in instrument.overrides:
            for unit in self._override_units(override):
                self._add_override(override, unit)

    # ---- building ------------------------------------------------------------------------

    @staticmethod
    def _asking_items(instrument: Instrument) -> set[str]:
        """The items whose answers decide whether a later section is asked (directly, or
        through the level of their banded section): the browser re-asks the server when they
        change."""
        names = {name for s in instrument.sections for name in s.asked_when}
        found = {name for name in names if name in instrument.items}
        for section in instrument.sections:
            if section.id in names:
                found |= {item.id for item in section.items}
        return found

    @property
    def asks(self) -> bool:
        """Some section is asked only when earlier answers say so."""
        return bool(self._feeds)

    def _add_item(self, item: Item, unit: str) -> None:
        name = field_name(item.id, unit)
        label = display.item_label(item)
        # With the agency's wording as the label, the short label (R1, V3 ...) stays as a hint
        # so that the form can be matched against the licensed paper form.
        hint = display.short_label(item) if item.text else ""
        recorded = self.prefill.get(unit).values.get(item.id) if unit in self.prefill else None
        if item.scale.options or item.scale.maximum is not None:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=_choices(item.scale),
                widget=forms.RadioSelect,
                required=False,
                help_text=hint,
            )
        else:
            self.fields[name] = forms.IntegerField(
                label=label,
                min_value=item.scale.minimum,
                required=False,
                help_text=hint,
            )
        if recorded is not None:
            self.fields[name].initial = str(recorded)
        if item.id in self._feeds:
            self.fields[name].widget.attrs["data-asks"] = "true"
        if item.note_required_for or item.creates_condition_on:
            wanted = ", ".join(
                display.value_label(item, v)
                for v in (*item.note_required_for, *item.creates_condition_on)
            )
            label_note = (
                _("Why the child cannot return home now")
                if item.creates_condition_on
                else _("Evidence")
            )
            self.fields[f"{name}__{NOTE}"] = forms.CharField(
                label=label_note,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
                help_text=_("Needed when the answer is: %(answers)s") % {"answers": wanted},
                max_length=2000,
            )
        if item.creates_condition_on:
            self.fields[f"{name}__{FOLLOW_UP}"] = forms.CharField(
                label=_("What must exist for the child to return home"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
                max_length=2000,
            )
        if item.prefilled:
            self.fields[f"{name}__{REASON}"] = forms.CharField(
                label=_("Changed from records: reason"),
                required=False,
                max_length=500,
            )

    def _override_units(self, override: Override) -> list[str]:
        if override.target == DECISION:
            per_child = self.instrument.per_child
        else:
            section = next(s for s in self.instrument.sections if s.id == override.target)
            per_child = section.per == CHILD
        return [str(c.pk) for c in self.children_offered] if per_child else [HOUSEHOLD_KEY]

    def _add_override(self, override: Override, unit: str) -> None:
        base = f"override__{override.id}" + (f"[{unit}]" if unit else "")
        feeds = override.target in {n for s in self.instrument.sections for n in s.asked_when}
        if override.kind == POLICY:
            self.fields[base] = forms.BooleanField(label=override.label, required=False)
        else:
            levels = self.instrument.levels(override.target)
            labels = (
                display.outcome_label
                if override.target == DECISION
                else (lambda lv: display.level_label(lv, self.instrument))
            )
            self.fields[base] = forms.ChoiceField(
                label=override.label,
                choices=[("", _("No override")), *[(lv, labels(lv)) for lv in levels]],
                required=False,
            )
        if feeds:
            self.fields[base].widget.attrs["data-asks"] = "true"
        self.fields[f"{base}__{REASON}"] = forms.CharField(
            label=_("Reason for the override"), required=False, max_length=500
        )

    # ---- what the template lays out ------------------------------------------------------

    def asked(self) -> dict[tuple[str, str], bool | None]:
        """Which conditional sections the submitted answers ask (scoring.asked_preview); nothing
        is known before the form is filled in."""
        if not self.is_bound or not self._feeds:
            return {}
        self.is_valid()  # cleaned_data holds every field that parsed
        chosen = [str(c.pk) for c in self.chosen_children()]
        return asked_preview(self.instrument, self.answers(), self.overrides(), children=chosen)

    def blocks(self) -> list[Block]:
        people = {str(c.pk): c for c in self.children_offered}
        asked = self.asked()
        found: list[Block] = []
        for section in self.instrument.sections:
            units = list(people) if section.per == CHILD else [HOUSEHOLD_KEY]
            for unit in units:
                block = Block(
                    section=section,
                    title=display.section_title(section),
                    child=people.get(unit),
                    prefill=self.prefill.get(unit) if unit else None,
                    asked_when=display.asked_when(self.instrument, section),
                    asked=asked.get((section.id, unit)) if section.asked_when else True,
                )
                for item in section.items:
                    name = field_name(item.id, unit)
                    recorded = block.prefill.values.get(item.id) if block.prefill else None
                    block.rows.append(
                        ItemRow(
                            item=item,
                            child=unit,
                            value=self[name],
                            note=self[f"{name}__{NOTE}"]
                            if f"{name}__{NOTE}" in self.fields
                            else None,
                            follow_up=self[f"{name}__{FOLLOW_UP}"]
                            if f"{name}__{FOLLOW_UP}" in self.fields
                            else None,
                            reason=self[f"{name}__{REASON}"]
                            if f"{name}__{REASON}" in self.fields
                            else None,
                            prefilled=recorded,
                            prefilled_label=display.value_label(item, recorded)
                            if recorded is not None
                            else "",
                        )
                    )
                found.append(block)
        return found

    def override_rows(self) -> list[OverrideRow]:
        people = {str(c.pk): c for c in self.children_offered}
        rows = []
        for override in self.instrument.overrides:
            for unit in self._override_units(override):
                base = f"override__{override.id}" + (f"[{unit}]" if unit else "")
                rows.append(
                    OverrideRow(override, people.get(unit), self[base], self[f"{base}__{REASON}"])
                )
        return rows

    # ---- what the service is given -------------------------------------------------------

    def chosen_children(self) -> list[Person]:
        chosen = set(self.cleaned_data.get("children") or [])
        return [c for c in self.children_offered if str(c.pk) in chosen]

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        chosen = [str(c.pk) for c in self.chosen_children()]
        answers: dict[str, Any] = {}
        for section in self.instrument.sections:
            for item in section.items:
                units = chosen if section.per == CHILD else [HOUSEHOLD_KEY]
                per_child: dict[str, Answer] = {}
                for unit in units:
                    name = field_name(item.id, unit)
                    value = _value(item.scale, data.get(name))
                    if value is None:
                        continue
                    answer = Answer(
                        value=value,
                        note=data.get(f"{name}__{NOTE}") or "",
                        follow_up=data.get(f"{name}__{FOLLOW_UP}") or "",
                        reason=data.get(f"{name}__{REASON}") or "",
                    )
                    if unit:
                        per_child[unit] = answer
                    else:
                        answers[item.id] = answer
                if section.per == CHILD and per_child:
                    answers[item.id] = per_child
        return answers

    def overrides(self) -> list[OverrideRequest]:
        data = self.cleaned_data
        chosen = {str(c.pk) for c in self.chosen_children()}
        found = []
        for override in self.instrument.overrides:
            for unit in self._override_units(override):
                if unit and unit not in chosen:
                    continue
                base = f"override__{override.id}" + (f"[{unit}]" if unit else "")
                reason = data.get(f"{base}__{REASON}") or ""
                if override.kind == DISCRETIONARY and data.get(base):
                    found.append(OverrideRequest(override.id, reason, to=data[base], child=unit))
                elif override.kind == POLICY and data.get(base):
                    found.append(OverrideRequest(override.id, reason, child=unit))
        return found


class ConditionReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("After this review the condition is"),
        choices=ConditionStatus.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What the review found"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"}),
        max_length=4000,
    )
    reviewed_on = forms.DateField(
        label=_("Reviewed on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = today


class WordingForm(forms.Form):
    """The agency's licensed wording of one instrument version: per item an English and a
    Spanish text, each optional (both blank: the built-in short label). `version` travels with
    the form so that a POST without it is refused rather than read as "clear everything"."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items.values():
            self.fields[f"{item.id}__text"] = forms.CharField(
                label=_("Wording in English"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
            )
            self.fields[f"{item.id}__text_es"] = forms.CharField(
                label=_("Wording in Spanish"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
            )

    def clean_version(self) -> int:
        version: int = self.cleaned_data["version"]
        if version != self.instrument.version:
            raise forms.ValidationError(_("The form was for another version; open it again."))
        return version

    def rows(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        """(section title, short label, English field, Spanish field) per item."""
        return [
            (
                display.section_title(section),
                display.short_label(item),
                self[f"{item.id}__text"],
                self[f"{item.id}__text_es"],
            )
            for section in self.instrument.sections
            for item in section.items
        ]

    def texts(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            item_id: (data.get(f"{item_id}__text") or "", data.get(f"{item_id}__text_es") or "")
            for item_id in self.instrument.items
        }
