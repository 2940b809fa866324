"""Family and partner accounts: who the account is in the record, and the invitations that make
them. An account is made only by accepting an invitation a worker sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reunify.accounts.models import Agency
from reunify.cases.models import FamilyCase, ResourceProvider
from reunify.core.actor import history_user
from reunify.people.models import Person


class Kind(models.TextChoices):
    PARENT = "parent", _("Birth parent")
    RESOURCE_PARENT = "resource_parent", _("Resource parent")
    YOUTH = "youth", _("Youth")


class PortalAccount(models.Model):
    """Who a family account is: the parent or youth (a person of the record), or a member of a
    resource family (the provider). The account's role says which portal it uses."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_account"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="portal_accounts"
    )
    provider = models.ForeignKey(
        ResourceProvider,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_accounts",
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="resource_parent") & Q(provider__isnull=False))
                | (~Q(kind="resource_parent") & Q(person__isnull=False)),
                name="portal_account_is_someone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()})"


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")


class Invitation(models.Model):
    """A worker's invitation to the portal. The link carries a random token; only its hash is
    stored. It works once, until it expires or is withdrawn."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="invitations")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        ResourceProvider, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    channel = models.CharField(_("send by"), max_length=10, choices=Channel.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("mobile phone"), max_length=30, blank=True)
    language = models.CharField(_("language"), max_length=5, default="en")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    account = models.ForeignKey(
        PortalAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user, excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(channel="email") & ~Q(email="")) | (Q(channel="sms") & ~Q(phone="")),
                name="invitation_has_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


# ---- the birth-parent and youth pages (documents, calendar feed, family-time answers) ---------


def documents_storage() -> object:
    """Where shared documents are kept: a private directory with no public address (AZ-11)."""
    from reunify.portal.document_storage import storage

    return storage


class SharedDocument(models.Model):
    """A file a worker shares with one family account (a letter, a certificate, a service
    schedule). It is streamed only through a view that re-checks the portal policy; an image is
    re-encoded on upload, so no location or camera metadata is kept."""

    account = models.ForeignKey(
        PortalAccount, on_delete=models.PROTECT, related_name="shared_documents"
    )
    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="shared_documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), storage=documents_storage, upload_to="shared/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(_("shared"))
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-shared_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="shared_document_revoked_by_someone",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PortalFeedToken(models.Model):
    """A secret calendar address for a family account's own family time and court dates
    (calendar apps cannot sign in). The feed re-checks the portal policy at every request;
    revoking ends it at once."""

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="feeds")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"calendar feed of {self.account_id}"


class SessionAnswer(models.Model):
    """A parent's answer in the portal to an upcoming family-time session: they will be there,
    or they cannot come (with a note). Changeable until the session starts."""

    class Answer(models.TextChoices):
        CONFIRMED = "confirmed", _("Will be there")
        CANNOT_COME = "cannot_come", _("Cannot come")

    account = models.ForeignKey(
        PortalAccount, on_delete=models.PROTECT, related_name="session_answers"
    )
    session = models.ForeignKey(
        "family_time.FamilyTimeSession", on_delete=models.PROTECT, related_name="portal_answers"
    )
    answer = models.CharField(_("answer"), max_length=12, choices=Answer.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    answered_at = models.DateTimeField(_("answered at"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "session"], name="portal_answer_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.answer} ({self.session_id})"


# ---- the resource-family portal and the shared-parenting journal ------------------------------


class JournalIdentity(models.Model):
    """How a resource family's account is named in the shared-parenting journal: a display name
    of its choosing (by default its first name) and whether it shares its surname. Without this
    choice the birth parent never reads the family's surname (reliability.md AZ-4)."""

    account = models.OneToOneField(
        PortalAccount, on_delete=models.CASCADE, related_name="journal_identity"
    )
    display_name = models.CharField(_("name shown in the journal"), max_length=60, blank=True)
    share_surname = models.BooleanField(_("share our surname"), default=False)
    history = HistoricalRecords(get_user=history_user)

    def __str__(self) -> str:
        return f"journal name of {self.account_id}"


class JournalEntry(models.Model):
    """One entry of a child's shared-parenting journal, written by a birth parent or by the
    resource family the child lives with: news of the day or a question, with an optional photo
    (re-encoded on upload, so no location or camera metadata is kept). A worker may hide it with
    a reason; a hidden entry is gone for both families and stays in the record."""

    class Side(models.TextChoices):
        PARENT = "parent", _("Birth parent")
        RESOURCE_FAMILY = "resource_family", _("Resource family")

    class EntryKind(models.TextChoices):
        NEWS = "news", _("News")
        QUESTION = "question", _("Question")

    case = models.ForeignKey(FamilyCase, on_delete=models.PROTECT, related_name="journal_entries")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="journal_entries")
    author = models.ForeignKey(
        PortalAccount, on_delete=models.PROTECT, related_name="journal_entries"
    )
    side = models.CharField(_("written by"), max_length=20, choices=Side.choices)
    kind = models.CharField(
        _("kind"), max_length=10, choices=EntryKind.choices, default=EntryKind.NEWS
    )
    text = models.TextField(_("text"), max_length=2000)
    photo = models.FileField(
        _("photo"), storage=documents_storage, upload_to="journal/%Y/%m/", blank=True
    )
    photo_content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("written"))
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_reason = models.CharField(_("why it was hidden"), max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True, hidden_by__isnull=True, hidden_reason="")
                | (Q(hidden_at__isnull=False, hidden_by__isnull=False) & ~Q(hidden_reason="")),
                name="journal_entry_hidden_with_reason",
            )
        ]

    def __str__(self) -> str:
        return f"journal entry {self.pk} ({self.get_side_display()})"
