"""Assessment responses and the conditions for return they create.

A `Response` is one administration of a built-in instrument (ADR 0009) for a case: the answers
and overrides as given, the instrument key and version they were scored with, and the result
(`scoring.Result` serialised by `results.dump`). A response is never edited: a correction is a
new response. Columns that screens filter on are copied out of the result when it is recorded
(`risk_level`, `safety_decision`, and the outcome per child on `ResponseChild`).

A `ConditionForReturn` is drafted by each "no" of an in-home safety analysis: why the child
cannot return now and what must exist for them to. It is reviewed monthly (`ConditionReview`);
its review is due a month after it was created or last reviewed.

An `InstrumentWording` is an agency's licensed text for one item of one version of a licensed
instrument (ADR 0009), in English and optionally Spanish. It is display only: it never changes
what a response scores, and a response keeps the version it was made with.

The writes are `services.py`; the reads `selectors.py`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.assessments.display import localized
from reunify.cases.models import FamilyCase
from reunify.clocks.dates import add_months
from reunify.core.actor import history_user
from reunify.people.models import Person

REVIEW_MONTHS = 1  # conditions for return are reviewed monthly


class Response(models.Model):
    case = models.ForeignKey(
        FamilyCase, on_delete=models.PROTECT, related_name="assessment_responses"
    )
    children = models.ManyToManyField(
        Person, through="ResponseChild", related_name="+", verbose_name=_("children")
    )
    instrument_key = models.CharField(_("instrument"), max_length=60)
    instrument_version = models.PositiveSmallIntegerField(_("version"))
    timepoint = models.CharField(_("timepoint"), max_length=20, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    overrides = models.JSONField(_("overrides"), default=list, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    recorded_on = models.DateField(_("date of the assessment"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"))
    # Copied from the result for fast reads (reunification assessment; "" otherwise).
    risk_level = models.CharField(_("risk level"), max_length=20, blank=True)
    safety_decision = models.CharField(_("safety decision"), max_length=20, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-recorded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(instrument_version__gte=1), name="response_version_positive"
            ),
        ]
        indexes = [
            models.Index(
                fields=["case", "instrument_key", "-recorded_on"], name="response_case_latest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_key} v{self.instrument_version} {self.recorded_on}"


class ResponseChild(models.Model):
    """A child a response covers, with the final outcome of the decision table for the child
    (after overrides) when the instrument has one."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="covered")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    initial_outcome = models.CharField(_("initial outcome"), max_length=40, blank=True)
    outcome = models.CharField(_("outcome"), max_length=40, blank=True)

    class Meta:
        ordering = ["response", "child_id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "child"], name="response_child_once"),
        ]
        indexes = [models.Index(fields=["child", "response"], name="response_child_lookup")]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.child_id} {self.outcome}"


class ConditionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConditionForReturn(models.Model):
    """What must change before the child can go home, from one "no" of an in-home safety
    analysis. `child` is None for a household condition: it applies to every child the response
    covers."""

    case = models.ForeignKey(
        FamilyCase, on_delete=models.PROTECT, related_name="conditions_for_return"
    )
    child = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="conditions")
    question_key = models.CharField(_("question"), max_length=60)
    question_label = models.CharField(_("question"), max_length=300)
    question_label_es = models.CharField(max_length=300, blank=True)
    why_not_now = models.TextField(_("why the child cannot return now"))
    what_must_exist = models.TextField(_("what must exist for the child to return"))
    status = models.CharField(
        _("status"), max_length=10, choices=ConditionStatus.choices, default=ConditionStatus.OPEN
    )
    created_on = models.DateField(_("created on"))
    met_on = models.DateField(_("met on"), null=True, blank=True)
    review_due_on = models.DateField(_("review due"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["created_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "met", "withdrawn"]),
                name="condition_status_known",
            ),
            models.CheckConstraint(
                condition=(Q(status="met") & Q(met_on__isnull=False))
                | (~Q(status="met") & Q(met_on__isnull=True)),
                name="condition_met_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(why_not_now="") & ~Q(what_must_exist=""),
                name="condition_says_why_and_what",
            ),
            models.UniqueConstraint(
                fields=["response", "question_key"],
                condition=Q(child__isnull=True),
                name="condition_once_per_response_question",
            ),
            models.UniqueConstraint(
                fields=["response", "question_key", "child"],
                condition=Q(child__isnull=False),
                name="condition_once_per_response_question_child",
            ),
        ]
        indexes = [models.Index(fields=["case", "status"], name="condition_case_status")]

    def __str__(self) -> str:
        return f"{self.question_key} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == ConditionStatus.OPEN

    @property
    def question(self) -> str:
        """The question in the active language (the definition's own Spanish)."""
        return localized(self.question_label, self.question_label_es)

    def review_is_due(self, today: dt.date) -> bool:
        return self.is_open and self.review_due_on <= today

    @staticmethod
    def next_review(on: dt.date) -> dt.date:
        return add_months(on, REVIEW_MONTHS)


class ConditionReview(models.Model):
    """One monthly review of a condition: its status after the review and what was seen."""

    condition = models.ForeignKey(
        ConditionForReturn, on_delete=models.PROTECT, related_name="reviews"
    )
    reviewed_on = models.DateField(_("reviewed on"))
    status = models.CharField(
        _("status after the review"), max_length=10, choices=ConditionStatus.choices
    )
    note = models.TextField(_("what was seen"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="condition_review_has_note"),
        ]

    def __str__(self) -> str:
        return f"{self.condition_id} reviewed {self.reviewed_on} ({self.status})"


class InstrumentWording(models.Model):
    """The agency's licensed wording of one item of a licensed built-in instrument version
    (SDM, NCFAS-R). Written only through `services.wording_set`, which validates the item
    against the definition (an unknown item is refused by the pure loader)."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.CASCADE, related_name="instrument_wordings"
    )
    instrument_key = models.CharField(_("instrument"), max_length=60)
    instrument_version = models.PositiveSmallIntegerField(_("version"))
    item_id = models.CharField(_("item"), max_length=60)
    text = models.TextField(_("wording in English"), max_length=2000)
    text_es = models.TextField(_("wording in Spanish"), max_length=2000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["agency", "instrument_key", "instrument_version", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "instrument_key", "instrument_version", "item_id"],
                name="wording_once_per_agency_item",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="wording_has_text"),
            models.CheckConstraint(
                condition=Q(instrument_version__gte=1), name="wording_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_key} v{self.instrument_version} {self.item_id}"
