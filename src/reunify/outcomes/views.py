"""The Outcomes dashboard, the children behind each number, and the tables as files.

Every view: parse the GET filters → the viewer's scope (permissions.dashboard_scope; outside it:
404, audited as a denial) → one selector → render. Child lists and exports are audited reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from reunify.core import audit, clock
from reunify.core.forms import DateInput, Form
from reunify.core.models import AuditEvent
from reunify.outcomes import compliance, equity, exports, groups, permissions, selectors, survival
from reunify.outcomes import indicators as rules
from reunify.outcomes.permissions import Scope

EARLIEST_PERIOD = dt.date(1990, 1, 1)
TABLES = ("indicators", "survival", "equity", "compliance", "children")
DEFAULT_GROUP_KEY = groups.RACE_ETHNICITY

TITLES = {
    rules.PERM12_ENTRIES: _("Permanency in 12 months: children entering care"),
    rules.PERM12_12_23: _("Permanency in 12 months: in care 12 to 23 months"),
    rules.PERM12_24PLUS: _("Permanency in 12 months: in care 24 months or more"),
    rules.REENTRY_12M: _("Re-entry to care within 12 months"),
    rules.PLACEMENT_STABILITY: _("Placement stability"),
    selectors.TIME_TO_REUNIFICATION: _("Time to reunification: children entering care"),
    selectors.REUNIFIED_12M: _("Reunified within 12 months of entering care"),
}
UNITS = {
    rules.PERCENT: _("percent"),
    rules.PER_1000_DAYS: _("moves per 1,000 days in care"),
}
DIRECTIONS = {"higher": _("Higher is better"), "lower": _("Lower is better")}
PARTS = {
    "numerator": _("counted in the numerator"),
    "denominator": _("in the cohort (denominator)"),
    "excluded": _("excluded from the cohort"),
}
COHORT_PARTS = {
    "numerator": {
        selectors.TIME_TO_REUNIFICATION: _("reunified so far"),
        selectors.REUNIFIED_12M: _("reunified within 12 months"),
    },
    "denominator": {
        selectors.TIME_TO_REUNIFICATION: _("in the entry cohort"),
        selectors.REUNIFIED_12M: _("in the entry cohort, 12 months over"),
    },
    "excluded": {
        selectors.TIME_TO_REUNIFICATION: _("left out of the cohort"),
        selectors.REUNIFIED_12M: _("left out of the cohort"),
    },
}


def part_label(key: str, part: str) -> str:
    return str(COHORT_PARTS[part].get(key, PARTS[part]))


REASONS = {
    rules.AGE_18_AT_ENTRY: _("18 or older at entry"),
    rules.AGE_18_ON_FIRST_DAY: _("18 or older on the period's first day"),
    rules.AGE_18_AT_EXIT: _("18 or older at exit"),
    rules.UNDER_8_DAYS: _("in care under 8 days"),
    rules.NO_DISCHARGE_REASON: _("discharge reason missing"),
    rules.REMOVAL_BEFORE_DISCHARGE: _("another removal recorded before the discharge"),
    equity.FOLLOW_UP_INCOMPLETE: _("12 months since removal not yet over"),
}
GROUP_KEYS = {key: _(groups.TITLES[key]) for key in groups.KEYS}  # marked in groups.TITLES


group_label = selectors.group_label


class FilterForm(Form):
    """The dashboard's filters. `unit` is offered to viewers who may choose among units."""

    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    period_start = forms.DateField(
        label=_("12-month period starting"),
        required=False,
        widget=DateInput(),
        help_text=_("Default: the latest period with a full year of follow-up."),
    )
    group_key = forms.ChoiceField(
        label=_("Compare groups by"), required=False, choices=list(GROUP_KEYS.items())
    )
    reference = forms.CharField(
        label=_("Reference group"),
        required=False,
        max_length=40,
        widget=forms.Select,
        help_text=_("Each group's rate is compared with this group's."),
    )

    def __init__(self, *args: Any, user: Any, today: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "period_start": selectors.default_period_start(today),
                "group_key": DEFAULT_GROUP_KEY,
            },
        )
        super().__init__(*args, **kwargs)
        self.today = today
        key = self.data.get("group_key") or DEFAULT_GROUP_KEY
        key = key if key in GROUP_KEYS else DEFAULT_GROUP_KEY
        self.fields["reference"].widget.choices = [
            (
                "",
                _("Default (%(group)s)")
                % {"group": group_label(key, selectors.reference_for(key))},
            ),
            *((group, gettext(label)) for group, label in groups.LABELS[key].items()),
        ]
        units = permissions.dashboard_units_visible_to(user)
        unit_field = self.fields["unit"]
        if permissions.can_choose_unit(user):
            unit_field.choices = [("", _("Whole agency")), *((u.pk, u.name) for u in units)]
        else:  # a supervisor: their own unit only, nothing to choose
            unit_field.choices = [("", ""), *((u.pk, u.name) for u in units)]
            unit_field.widget = forms.HiddenInput()

    def clean_period_start(self) -> dt.date | None:
        start: dt.date | None = self.cleaned_data.get("period_start")
        if start is not None and not EARLIEST_PERIOD <= start <= self.today:
            raise forms.ValidationError(_("Choose a period that starts between 1990 and today."))
        return start


class ChildListForm(FilterForm):
    indicator = forms.ChoiceField(
        label=_("Indicator"), required=False, choices=list(TITLES.items())
    )
    part = forms.ChoiceField(label=_("Children"), required=False, choices=list(PARTS.items()))
    group = forms.CharField(label=_("Group"), required=False, max_length=100)


class ComplianceChildrenForm(FilterForm):
    measure = forms.ChoiceField(
        label=_("Measure"),
        required=False,
        choices=[(key, compliance.TITLES[key]) for key in compliance.LISTED],
    )


class ExportForm(ChildListForm):
    table = forms.ChoiceField(required=False, choices=[(t, t) for t in TABLES])
    format = forms.ChoiceField(required=False, choices=[("csv", "CSV"), ("parquet", "Parquet")])


def _deny(request: HttpRequest, action: str) -> NoReturn:
    """An unavailable dashboard or scope answers 404, as an invisible object does elsewhere;
    the attempt is audited."""
    if request.user.is_authenticated:
        audit.record(
            actor=request.user,
            action=f"denied.{action}",
            kind=AuditEvent.Kind.DENIAL,
            summary=f"Denied: {action}",
        )
    raise Http404


def _filters(
    request: HttpRequest, form_class: type[FilterForm], action: str
) -> tuple[FilterForm, Scope, dict[str, Any]]:
    """The bound (or default) form, the viewer's scope and the cleaned values."""
    if not permissions.can_view_dashboard(request.user):
        _deny(request, action)
    today = clock.today()
    form = form_class(request.GET or None, user=request.user, today=today)
    values: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    elif form.is_bound and "unit" in form.errors:
        _deny(request, action)  # a unit outside the viewer's agency or unit
    values.setdefault("period_start", selectors.default_period_start(today))
    values.setdefault("group_key", DEFAULT_GROUP_KEY)
    values["as_of"] = today
    scope = permissions.dashboard_scope(request.user, unit_id=values.get("unit"))
    if scope is None:
        _deny(request, action)
    return form, scope, values


def _status(form: FilterForm) -> int:
    return 400 if form.is_bound and form.errors else 200


def _query(values: dict[str, Any], **extra: Any) -> str:
    """The filters (and `extra`) as the query string of the links a page builds."""
    query = {"period_start": values["period_start"].isoformat(), "group_key": values["group_key"]}
    for optional in ("unit", "reference"):
        if values.get(optional):
            query[optional] = str(values[optional])
    query.update({k: str(v) for k, v in extra.items() if v not in (None, "")})
    return urlencode(query)


@login_required
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    form, scope, values = _filters(request, FilterForm, "outcomes.dashboard")
    data = _dashboard(scope, values)
    can_list = permissions.can_view_child_lists(request.user)

    def links(key: str, group: str = "") -> dict[str, str] | None:
        if not can_list:
            return None
        group = "" if group == survival.OVERALL else group
        return {part: _query(values, indicator=key, part=part, group=group) for part in PARTS}

    cards = [
        {
            "card": card,
            "title": TITLES[card.key],
            "unit_label": UNITS[card.definition.unit],
            "direction": DIRECTIONS[card.definition.direction],
            "spec_id": f"spec-{card.key}",
            "links": links(card.key),
        }
        for card in data.cards
    ]
    curves = [
        {
            "row": row,
            "reason": gettext(row.curve.reason) if row.curve.reason else "",
            "links": links(selectors.TIME_TO_REUNIFICATION, row.curve.group),
        }
        for row in data.curves
    ]
    rates = [
        {
            "row": item.row,
            "label": item.label,
            "reason": gettext(item.row.reason) if item.row.reason else "",
            "links": links(selectors.REUNIFIED_12M, item.row.group),
        }
        for item in data.equity_rows
    ]
    visits_link = None
    if can_list:  # the months without a visit, child by child, on the contacts pages
        period = {"start": data.period.start.isoformat(), "end": data.period.last_day.isoformat()}
        page = (
            reverse("contacts:unit-compliance", args=[scope.unit_id])
            if scope.unit_id is not None
            else reverse("contacts:agency-compliance")
        )
        visits_link = f"{page}?{urlencode(period)}"

    def measure_link(key: str) -> str | None:
        if not can_list:
            return None
        if key in (compliance.CASEWORKER_VISITS, compliance.VISITS_IN_RESIDENCE):
            return visits_link
        page = reverse("outcomes:compliance-children")
        return f"{page}?{_query(values, measure=key)}" if key in compliance.LISTED else None

    measures = [{"measure": m, "link": measure_link(m.key)} for m in data.compliance]
    context = {
        "form": form,
        "dashboard": data,
        "measures": measures,
        "cards": cards,
        "curves": curves,
        "rates": rates,
        "reference_label": group_label(data.group_key, data.reference),
        "cohort_links": links(selectors.REUNIFIED_12M),
        "scope_name": _scope_name(request, scope),
        "can_list": can_list,
        "query": _query(values),
        "group_key": values["group_key"],
        "group_label": GROUP_KEYS[values["group_key"]],
    }
    return render(request, "outcomes/dashboard.html", context, status=_status(form))


def _dashboard(scope: Scope, values: dict[str, Any]) -> selectors.Dashboard:
    return selectors.dashboard_get(
        scope=scope,
        period_start=values["period_start"],
        as_of=values["as_of"],
        group_key=values["group_key"],
        reference=values.get("reference", ""),
    )


def _scope_name(request: HttpRequest, scope: Scope) -> str:
    if scope.unit_id is None:
        return str(request.user.agency.name)
    unit = permissions.dashboard_units_visible_to(request.user).get(pk=scope.unit_id)
    return str(unit.name)


def _children(scope: Scope, values: dict[str, Any]) -> selectors.ChildList:
    group = values.get("group", "")
    return selectors.child_list_get(
        scope=scope,
        period_start=values["period_start"],
        as_of=values["as_of"],
        key=values.get("indicator", rules.PERM12_ENTRIES),
        part=values.get("part", "denominator"),
        group_key=values["group_key"] if group else "",
        group=group,
    )


@login_required
@require_http_methods(["GET"])
def child_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_child_lists(request.user):
        _deny(request, "outcomes.children")
    form, scope, values = _filters(request, ChildListForm, "outcomes.children")
    children = _children(scope, values)
    audit.record(
        actor=request.user,
        action="outcomes.children_viewed",
        kind=AuditEvent.Kind.ACCESS,
        summary=(
            f"Viewed the children {children.part} of {children.key}, period from "
            f"{children.period.start}, {len(children.rows)} children"
        )[:300],
    )
    context = {
        "form": form,
        "children": children,
        "rows": [
            {
                "row": row,
                "reason": REASONS.get(row.reason, row.reason),
                "group": group_label(values["group_key"], row.groups.get(values["group_key"], "")),
            }
            for row in children.rows
        ],
        "group_key_label": GROUP_KEYS[values["group_key"]],
        "group_value": group_label(children.group_key, children.group),
        "title": TITLES[children.key],
        "part_label": part_label(children.key, children.part),
        "group_label": GROUP_KEYS.get(children.group_key, ""),
        "scope_name": _scope_name(request, scope),
        "dashboard_query": _query(values),
        "export_query": _query(
            values,
            indicator=children.key,
            part=children.part,
            group=children.group,
            table="children",
        ),
    }
    return render(request, "outcomes/child_list.html", context, status=_status(form))


@login_required
@require_http_methods(["GET"])
def compliance_children(request: HttpRequest) -> HttpResponse:
    """The children behind a case-review compliance rate, each with their share of it."""
    if not permissions.can_view_child_lists(request.user):
        _deny(request, "outcomes.compliance_children")
    form, scope, values = _filters(request, ComplianceChildrenForm, "outcomes.compliance_children")
    key = values.get("measure", compliance.FAMILY_TIME_PARENTS)
    period = rules.Period(values["period_start"])
    children = compliance.compliance_children(
        key=key,
        agency_id=scope.agency_id,
        unit_id=scope.unit_id,
        start=period.start,
        end=period.last_day,
        today=values["as_of"],
    )
    audit.record(
        actor=request.user,
        action="outcomes.children_viewed",
        kind=AuditEvent.Kind.ACCESS,
        summary=(
            f"Viewed the children behind {key}, period from {period.start}, "
            f"{len(children)} children"
        )[:300],
    )
    context = {
        "title": compliance.title_for(key, agency_id=scope.agency_id),
        "key": key,
        "period": period,
        "as_of": values["as_of"],
        "children": children,
        "counted": sum(c.counted for c in children),
        "met": sum(c.met for c in children),
        "case_plans": key == compliance.CASE_PLAN_60_DAYS,
        "scope_name": _scope_name(request, scope),
        "dashboard_query": _query(values),
    }
    return render(request, "outcomes/compliance_children.html", context, status=_status(form))


@login_required
@require_http_methods(["GET"])
def export(request: HttpRequest) -> HttpResponse:
    """One table as a file: ?table=indicators|children&format=csv|parquet and the filters."""
    form, scope, values = _filters(request, ExportForm, "outcomes.export")
    if form.is_bound and form.errors:
        return HttpResponse(status=400)
    table_name = values.get("table", "indicators")
    if table_name == "children":
        if not permissions.can_view_child_lists(request.user):
            _deny(request, "outcomes.export")
        table = selectors.child_table(_children(scope, values))
    else:
        build = {
            "indicators": selectors.indicator_table,
            "survival": selectors.survival_table,
            "equity": selectors.equity_table,
            "compliance": selectors.compliance_table,
        }[table_name]
        table = build(_dashboard(scope, values))
    kind = values.get("format", "csv")
    audit.record(
        actor=request.user,
        action="outcomes.exported",
        kind=AuditEvent.Kind.ACCESS,
        summary=f"Exported {table.name}.{kind}, {len(table.rows)} rows"[:300],
    )
    if kind == "parquet":
        response = HttpResponse(exports.to_parquet(table), content_type=exports.PARQUET_TYPE)
    else:
        response = HttpResponse(exports.to_csv(table), content_type=exports.CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{table.name}.{kind}"'
    return response
