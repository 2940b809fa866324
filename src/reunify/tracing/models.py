"""Family tracing records: separated children as registered, tracing requests from families with
the children they seek, the tracing actions log, candidate matches with their explanation,
verification interviews, best-interests decisions, reunifications and follow-up visits.

A child's current location, current caregiver, care arrangement and photo are confidential
(`CONFIDENTIAL_FIELDS`): only `selectors.child_view` reads them for a page, and only when
`permissions.can_see_confidential` allows (rules.confidential_visible). The states and guards
are `rules.py`; the writes `services.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.accounts.models import Agency
from reunify.core.actor import history_user
from reunify.core.models import Versioned
from reunify.tracing import rules

CONFIDENTIAL_FIELDS = ("care_arrangement", "current_location", "current_caregiver", "photo")
PLACE_LEVELS = ("country", "region", "district", "village")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNKNOWN = "U", _("Not known")


class ChildStatus(models.TextChoices):
    OPEN = rules.OPEN, _("Open")
    TRACING = rules.TRACING, _("Tracing in progress")
    VERIFIED = rules.VERIFIED, _("Verified")
    REUNIFIED = rules.REUNIFIED, _("Reunified")
    ALTERNATIVE_CARE = rules.ALTERNATIVE_CARE, _("Alternative care")
    CLOSED = rules.CLOSED, _("Closed")


class RequestStatus(models.TextChoices):
    OPEN = rules.REQUEST_OPEN, _("Open")
    TRACING = rules.REQUEST_TRACING, _("Tracing in progress")
    VERIFIED = rules.REQUEST_VERIFIED, _("Verified")
    CLOSED = rules.REQUEST_CLOSED, _("Closed")


class CareArrangement(models.TextChoices):
    INTERIM_CENTRE = "interim_centre", _("Interim care centre")
    FOSTER_FAMILY = "foster_family", _("Foster family")
    KINSHIP = "kinship", _("With extended family or community")
    RESIDENTIAL = "residential", _("Residential care")
    INDEPENDENT = "independent", _("Independent living / child-headed household")
    OTHER = "other", _("Other")


class SeparatedChild(Versioned):
    """A separated or unaccompanied child as registered: identity as the child gives it, the
    separation, and (confidential) where and with whom the child is now."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tracing worker"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ChildStatus.choices, default=ChildStatus.OPEN
    )
    given_name = models.CharField(_("given name"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120, blank=True)
    other_names = models.CharField(
        _("other names and nicknames"), max_length=300, blank=True
    )  # ";"-separated, as the exchange files
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.CharField(_("date of birth"), max_length=10, blank=True)
    age_estimate = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"))
    origin_country = models.CharField(_("place of origin: country"), max_length=120, blank=True)
    origin_region = models.CharField(
        _("place of origin: region or province"), max_length=120, blank=True
    )
    origin_district = models.CharField(_("place of origin: district"), max_length=120, blank=True)
    origin_village = models.CharField(
        _("place of origin: village, town or camp"), max_length=120, blank=True
    )
    separation_country = models.CharField(
        _("place of separation: country"), max_length=120, blank=True
    )
    separation_region = models.CharField(
        _("place of separation: region or province"), max_length=120, blank=True
    )
    separation_district = models.CharField(
        _("place of separation: district"), max_length=120, blank=True
    )
    separation_village = models.CharField(
        _("place of separation: village, town or camp"), max_length=120, blank=True
    )
    separated_on = models.CharField(_("date of separation"), max_length=10, blank=True)
    father_name = models.CharField(_("father's name"), max_length=200, blank=True)
    mother_name = models.CharField(_("mother's name"), max_length=200, blank=True)
    caregiver_name = models.CharField(_("caregiver before separation"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=60, blank=True)
    nationality = models.CharField(_("nationality"), max_length=60, blank=True)
    # Confidential (CONFIDENTIAL_FIELDS).
    care_arrangement = models.CharField(
        _("current care arrangement"), max_length=20, choices=CareArrangement.choices, blank=True
    )
    current_location = models.CharField(_("current location"), max_length=300, blank=True)
    current_caregiver = models.CharField(_("current caregiver"), max_length=200, blank=True)
    photo = models.BinaryField(_("photo"), null=True, blank=True, editable=False)
    photo_type = models.CharField(max_length=20, blank=True, editable=False)
    # Consent for tracing: without it the child is never matched nor shown as a candidate.
    consent_given = models.BooleanField(_("consent for tracing"), default=False)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.CharField(_("why the case closed"), max_length=300, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()
    history = HistoricalRecords(get_user=history_user, excluded_fields=["photo"])

    class Meta:
        ordering = ["-registered_on", "-id"]
        verbose_name = _("separated child")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=rules.CHILD_STATUSES), name="tracing_child_status_known"
            ),
            models.CheckConstraint(
                condition=Q(consent_given=False) | Q(consent_on__isnull=False),
                name="tracing_child_consent_dated",
            ),
            models.CheckConstraint(
                condition=~Q(given_name=""), name="tracing_child_has_given_name"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "consent_given", "status"], name="tracing_child_match"),
            models.Index(fields=["worker", "status"], name="tracing_child_worker"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.given_name} {self.family_name}".strip()

    @property
    def reference(self) -> str:
        return f"SC-{self.pk:05d}" if self.pk else "SC-new"

    def place(self, prefix: str) -> tuple[str, ...]:
        return tuple(getattr(self, f"{prefix}_{level}") for level in PLACE_LEVELS)


class TracingRequest(Versioned):
    """A family member's request to find one or more children (siblings: `sought`)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tracing worker"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    requester_name = models.CharField(_("requester's name"), max_length=200)
    requester_relationship = models.CharField(
        _("relationship to the children sought"), max_length=60
    )
    requester_contact = models.CharField(
        _("how to reach the requester"), max_length=300, blank=True
    )
    requested_on = models.DateField(_("date of the request"))
    language = models.CharField(_("language"), max_length=60, blank=True)
    nationality = models.CharField(_("nationality"), max_length=60, blank=True)
    separated_on = models.CharField(_("date of separation"), max_length=10, blank=True)
    separation_country = models.CharField(
        _("place of separation: country"), max_length=120, blank=True
    )
    separation_region = models.CharField(
        _("place of separation: region or province"), max_length=120, blank=True
    )
    separation_district = models.CharField(
        _("place of separation: district"), max_length=120, blank=True
    )
    separation_village = models.CharField(
        _("place of separation: village, town or camp"), max_length=120, blank=True
    )
    origin_country = models.CharField(_("place of origin: country"), max_length=120, blank=True)
    origin_region = models.CharField(
        _("place of origin: region or province"), max_length=120, blank=True
    )
    origin_district = models.CharField(_("place of origin: district"), max_length=120, blank=True)
    origin_village = models.CharField(
        _("place of origin: village, town or camp"), max_length=120, blank=True
    )
    close_reason = models.CharField(_("why the request closed"), max_length=300, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = _("tracing request")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=rules.REQUEST_STATUSES), name="tracing_request_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="tracing_request_match"),
            models.Index(fields=["worker", "status"], name="tracing_request_worker"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.requester_name}"

    @property
    def reference(self) -> str:
        return f"TR-{self.pk:05d}" if self.pk else "TR-new"

    def place(self, prefix: str) -> tuple[str, ...]:
        return tuple(getattr(self, f"{prefix}_{level}") for level in PLACE_LEVELS)


class SoughtChild(models.Model):
    """One child a request seeks, as the family describes them."""

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="sought")
    given_name = models.CharField(_("given name"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120, blank=True)
    other_names = models.CharField(_("other names and nicknames"), max_length=300, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.CharField(_("date of birth"), max_length=10, blank=True)
    age_at_separation = models.PositiveSmallIntegerField(
        _("age at separation"), null=True, blank=True
    )
    father_name = models.CharField(_("father's name"), max_length=200, blank=True)
    mother_name = models.CharField(_("mother's name"), max_length=200, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["request", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(given_name=""), name="tracing_sought_has_given_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class ActionKind(models.TextChoices):
    """domain.md §10.2 step 2."""

    CASE_BY_CASE = "case_by_case", _("Case-by-case tracing")
    INDIVIDUAL = "individual", _("Individual tracing")
    MASS = "mass", _("Mass tracing")
    PHOTO = "photo", _("Photo tracing")
    REFERRAL_NGO = "referral_ngo", _("Referral to another organisation")
    REFERRAL_ICRC = "referral_icrc", _("Referral to the ICRC")


class ActionOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCESSFUL = "successful", _("Successful")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")


class TracingAction(models.Model):
    """One tracing attempt, for a child or for a request (exactly one of the two)."""

    child = models.ForeignKey(
        SeparatedChild, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    request = models.ForeignKey(
        TracingRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    on = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=20, choices=ActionKind.choices)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("what was done"), max_length=2000)
    outcome = models.CharField(
        _("outcome"), max_length=15, choices=ActionOutcome.choices, default=ActionOutcome.PENDING
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=True, request__isnull=False)
                | Q(child__isnull=False, request__isnull=True),
                name="tracing_action_one_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class MatchStatus(models.TextChoices):
    PROPOSED = rules.PROPOSED, _("Proposed")
    CONFIRMED = rules.CONFIRMED, _("Confirmed for verification")
    REJECTED = rules.REJECTED, _("Rejected")
    VERIFIED = rules.MATCH_VERIFIED, _("Verified")


class CandidateMatch(models.Model):
    """A (sought child, registered child) pair the matcher proposed, with its probability and the
    per-field explanation (`evidence`: FieldEvidence as JSON). A rejected pair stays, so that it
    is never proposed again."""

    request = models.ForeignKey(TracingRequest, on_delete=models.PROTECT, related_name="candidates")
    sought = models.ForeignKey(SoughtChild, on_delete=models.PROTECT, related_name="candidates")
    child = models.ForeignKey(SeparatedChild, on_delete=models.PROTECT, related_name="candidates")
    probability = models.FloatField(_("match probability"))
    weight = models.FloatField(_("match weight"))
    evidence = models.JSONField(_("explanation"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    reject_reason = models.CharField(_("why it was rejected"), max_length=300, blank=True)
    proposed_at = models.DateTimeField()
    scored_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user, excluded_fields=["evidence", "scored_at"])

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sought", "child"], name="tracing_match_pair_unique"),
            models.CheckConstraint(
                condition=Q(status__in=rules.MATCH_STATUSES), name="tracing_match_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=rules.REJECTED) | ~Q(reject_reason=""),
                name="tracing_match_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(probability__gte=0) & Q(probability__lte=1),
                name="tracing_match_probability_range",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-probability"], name="tracing_match_likely"),
        ]

    def __str__(self) -> str:
        return f"Candidate {self.pk} ({self.status}, {self.probability:.2f})"

    @property
    def percent(self) -> int:
        return round(self.probability * 100)


class Interviewee(models.TextChoices):
    CHILD = rules.CHILD, _("The child")
    ADULT = rules.ADULT, _("The adult")


class Answer(models.TextChoices):
    YES = rules.YES, _("Yes")
    NO = rules.NO, _("No")
    UNSURE = rules.UNSURE, _("Not sure")


class VerificationInterview(models.Model):
    """One of the separate interviews of verification (V2-V5): with the child, or with the adult
    who asked for them, for one confirmed candidate."""

    match = models.ForeignKey(CandidateMatch, on_delete=models.PROTECT, related_name="interviews")
    interviewee = models.CharField(_("who was interviewed"), max_length=5, choices=Interviewee)
    on = models.DateField(_("date"))
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("interviewer"),
    )
    consistent = models.BooleanField(_("the account is consistent with the other side's"))
    notes = models.TextField(_("notes"), max_length=3000, blank=True)
    recognises = models.CharField(
        _("the child recognises the adult"), max_length=6, choices=Answer.choices, blank=True
    )
    wishes = models.CharField(
        _("the child wishes to be reunified"), max_length=6, choices=Answer.choices, blank=True
    )
    willing = models.BooleanField(
        _("the adult is willing to care for the child"), null=True, blank=True
    )
    able = models.BooleanField(_("the adult is able to care for the child"), null=True, blank=True)
    alternate_caregiver = models.CharField(
        _("alternate caregiver if not"), max_length=300, blank=True
    )
    photo_among_others = models.BooleanField(
        _("picked the photo out from among others"), default=False
    )
    community = models.BooleanField(_("confirmed by the community or authorities"), default=False)
    documents = models.BooleanField(_("confirmed by documents"), default=False)
    recorded_at = models.DateTimeField()
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interviewee=rules.ADULT)
                | (~Q(recognises="") & ~Q(wishes="") & Q(willing__isnull=True)),
                name="tracing_interview_child_answers",
            ),
            models.CheckConstraint(
                condition=Q(interviewee=rules.CHILD)
                | (Q(recognises="") & Q(willing__isnull=False) & Q(able__isnull=False)),
                name="tracing_interview_adult_answers",
            ),
        ]

    def __str__(self) -> str:
        return f"Interview with {self.interviewee} on {self.on}"

    @property
    def corroborated(self) -> bool:
        return self.photo_among_others or self.community or self.documents


class Decision(models.TextChoices):
    REUNIFY = rules.REUNIFY_DECISION, _("Reunify")
    REUNIFY_WITH_SUPPORT = rules.REUNIFY_WITH_SUPPORT, _("Reunify with enhanced support")
    ALTERNATIVE_CARE = rules.ALTERNATIVE_CARE_DECISION, _("Alternative care")
    FURTHER_TRACING = rules.FURTHER_TRACING, _("Further tracing")


class BestInterestsDecision(models.Model):
    """A best-interests decision for the child (V6), proposed by one staff member and approved by
    two others, different from each other (rules.approval_problem)."""

    child = models.ForeignKey(SeparatedChild, on_delete=models.PROTECT, related_name="decisions")
    match = models.ForeignKey(
        CandidateMatch, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    decision = models.CharField(_("decision"), max_length=25, choices=Decision.choices)
    rationale = models.TextField(_("rationale"), max_length=4000)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    first_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_approved_at = models.DateTimeField(null=True, blank=True)
    second_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    second_approved_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_approver__isnull=True) | ~Q(first_approver=F("proposed_by")),
                name="tracing_bid_first_not_proposer",
            ),
            models.CheckConstraint(
                condition=Q(second_approver__isnull=True)
                | (
                    Q(first_approver__isnull=False)
                    & ~Q(second_approver=F("proposed_by"))
                    & ~Q(second_approver=F("first_approver"))
                ),
                name="tracing_bid_two_different_approvers",
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="tracing_bid_has_rationale"),
        ]

    def __str__(self) -> str:
        return f"Best-interests decision {self.pk} ({self.decision})"

    @property
    def approved(self) -> bool:
        return rules.decision_approved(
            first_approver_id=self.first_approver_id, second_approver_id=self.second_approver_id
        )


class ReunificationKind(models.TextChoices):
    FAMILY = "family", _("Reunification through tracing")
    SPONTANEOUS = "spontaneous", _("Spontaneous (the family found each other)")
    CROSS_BORDER = "cross_border", _("Cross-border reunification")


class Reunification(models.Model):
    """The child's return to the verified adult (V1)."""

    child = models.OneToOneField(
        SeparatedChild, on_delete=models.PROTECT, related_name="reunification"
    )
    match = models.ForeignKey(CandidateMatch, on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(BestInterestsDecision, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date of reunification"))
    adult_name = models.CharField(_("reunified with"), max_length=200)
    relationship = models.CharField(_("relationship"), max_length=60)
    kind = models.CharField(_("type"), max_length=15, choices=ReunificationKind.choices)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords(get_user=history_user)

    def __str__(self) -> str:
        return f"Reunification {self.on}"


class FollowUpKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE = "phone", _("Phone call")
    SCHOOL = "school", _("School visit")
    COMMUNITY = "community", _("Community follow-up")


class FollowUpVisit(models.Model):
    """A follow-up after reunification; a stable one lets the case close."""

    child = models.ForeignKey(SeparatedChild, on_delete=models.PROTECT, related_name="follow_ups")
    on = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=15, choices=FollowUpKind.choices)
    notes = models.TextField(_("notes"), max_length=3000, blank=True)
    stable = models.BooleanField(_("the child's situation is stable"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"Follow-up {self.on}"


class MatchingModel(models.Model):
    """Matching parameters trained on the agency's own records (`reunify tracing train` output,
    MatchModel JSON); the latest is used, else MatchModel.default()."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    parameters = models.TextField()
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Matching model {self.pk} ({self.created_at:%Y-%m-%d})"
