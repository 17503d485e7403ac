"""The audit trail: who did what to which record, and when. Written by services, never edited."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, null=True, blank=True
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("record type"), max_length=60)
    object_id = models.CharField(_("record"), max_length=60)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"
        )

    def save(self, *args: object, **kwargs: object) -> None:
        """Write the event and its chain entry in one transaction: an event exists iff its entry does (the
        entry is appended by the chain's post_save receiver, connected in AuditConfig.ready)."""
        if self.pk is not None:
            raise PermissionError("audit events cannot be changed")
        from django.db import transaction

        with transaction.atomic():
            super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events cannot be deleted")


GENESIS_SHA256 = "0" * 64


class ChainEntry(models.Model):
    """One link of the append-only chain (docs/audit.md): a record that proves something (an audit event,
    a sealed proposal version) by the digest of its canonical content, tied to the entry before it.

    `sha256` is the SHA-256 of the canonical JSON of the other five fields (`chain.entry_digest`), so a
    changed record, a removed entry or a reordered chain shows at the first entry that no longer holds."""

    position = models.PositiveBigIntegerField(_("position"), primary_key=True)
    record_type = models.CharField(_("record type"), max_length=60)
    # An audit event by its id; a sealed version by its public id (an authority's receipt shows it, and a
    # sequential id would tell it how many versions others sealed).
    record_id = models.CharField(_("record"), max_length=64)
    content_sha256 = models.CharField(_("content digest (SHA-256)"), max_length=64)
    previous_sha256 = models.CharField(_("previous entry's digest"), max_length=64)
    sha256 = models.CharField(_("entry digest (SHA-256)"), max_length=64)

    class Meta:
        ordering = ["position"]
        verbose_name = _("chain entry")
        verbose_name_plural = _("chain entries")
        constraints = [
            models.UniqueConstraint(fields=["record_type", "record_id"], name="one_chain_entry_per_record")
        ]

    def __str__(self) -> str:
        return f"#{self.position} {self.record_type}:{self.record_id} {self.sha256[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("chain entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("chain entries cannot be deleted")


class ChainHead(models.Model):
    """The chain's current length and last digest, in one row that every append locks: appends are
    serialised (PostgreSQL: SELECT ... FOR UPDATE on this row; SQLite: its single write lock)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    length = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, default=GENESIS_SHA256)
    # Set once the records that existed before the chain were chained (`chain.chain_backfill`).
    backfilled = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("chain head")
        verbose_name_plural = _("chain head")

    def __str__(self) -> str:
        return f"{self.length} {self.sha256[:12]}"


class HeadReason(models.TextChoices):
    RECEIPT = "receipt", _("receipt of a sealed proposal")
    SIGNATURE = "signature", _("investor's signature")
    BACKUP = "backup", _("backup")
    MANUAL = "manual", _("signed on request")


class SignedHead(models.Model):
    """The chain's head at one moment, signed with the platform's Ed25519 key (kept outside the database).

    `statement` is the exact text signed (canonical JSON: format, key_id, length, sha256, signed_at), so the
    signature is checked on the bytes themselves. These rows are the head log an authority or the board
    downloads and keeps (`guichet audit heads`, /transparency/heads.jsonl)."""

    length = models.PositiveBigIntegerField(_("chain length"))
    sha256 = models.CharField(_("head digest (SHA-256)"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    key_id = models.CharField(_("key id"), max_length=32)
    statement = models.TextField(_("signed statement"))
    signature = models.CharField(_("Ed25519 signature (base64)"), max_length=100)
    reason = models.CharField(_("why"), max_length=20, choices=HeadReason.choices)

    class Meta:
        ordering = ["length", "id"]
        verbose_name = _("signed chain head")
        verbose_name_plural = _("signed chain heads")

    def __str__(self) -> str:
        return f"{self.length} {self.sha256[:12]} ({self.reason})"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("signed heads cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("signed heads cannot be deleted")
