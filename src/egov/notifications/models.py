"""Notifications (thông báo): in-app messages to users and their deliveries by e-mail and SMS.

A `Notification` is what a user reads in the platform (/thong-bao/); its subject and body are
rendered from the kind's templates at notify time, in Vietnamese and in English, and stored, so
the record says what was sent whatever the templates become. A `Delivery` is one message to one
address on one channel (e-mail, SMS) — for a user's notification, or on its own for a bare
address (an applicant without an account). Every send attempt is a `DeliveryAttempt` row.

Rows are written only by `egov.notifications.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=60)
    subject_vi = models.CharField(_("subject (Vietnamese)"), max_length=300)
    subject_en = models.CharField(_("subject (English)"), max_length=300)
    body_vi = models.TextField(_("message (Vietnamese)"))
    body_en = models.TextField(_("message (English)"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    # the same key is notified once per recipient (a sweep run twice notifies once)
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~Q(dedupe_key=""), name="notifications_dedupe_unique"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notifications_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notifications_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    kind = models.CharField(_("kind"), max_length=60)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text sent"))
    # for a bare address (no notification): the same key is sent once per channel and address
    dedupe_key = models.CharField(max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # when the next attempt may run; also the claim of a running attempt (see services.delivery_attempt)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider = models.CharField(_("provider"), max_length=60, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address", "dedupe_key"],
                condition=~Q(dedupe_key="") & Q(notification__isnull=True),
                name="notifications_delivery_dedupe_unique",
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notifications_due_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} #{self.pk}"


class DeliveryAttempt(models.Model):
    """One try of a delivery: when, how long, and the provider's answer or the error."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    succeeded = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="notifications_attempt_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"
