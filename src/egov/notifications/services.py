"""Writes: notify users or a bare address, send deliveries with bounded retries, mark read.

Auditing: one audit record per `notify`/`notify_address` call that created something (kind,
dedupe key, recipient and notification ids, how many deliveries per channel — never the e-mail
addresses or phone numbers, which must stay erasable). Send attempts are *not* audited: each
one is a `DeliveryAttempt` row, the delivery's own record, and auditing them would put one
chained row per network try on the trail's single writer lock. Marking one's own notifications
read is not audited either: `read_at` is the record, and it changes nobody else's data.

Sending happens outside any transaction: a delivery is *claimed* by moving its
`next_attempt_at` forward by a lease with a conditional UPDATE (only one worker wins), sent,
and the outcome recorded in a short transaction. A worker dying mid-send leaves the claim to
expire, and the delivery is tried again (at least once, not exactly once; the stable
`reference` lets a gateway drop a repeat).
"""

from __future__ import annotations

import datetime
import logging
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.audit.services import audit_record
from egov.common.errors import EgovError, NotFound
from egov.notifications import messages, providers
from egov.notifications.errors import NotificationsErrorCode as Code
from egov.notifications.models import Channel, Delivery, DeliveryAttempt, DeliveryStatus, Notification

logger = logging.getLogger("egov.notifications")

CHANNELS = (Channel.EMAIL, Channel.SMS)
BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
)
LEASE = datetime.timedelta(minutes=10)  # a claimed delivery is retried after this if its worker died
_PHONE = re.compile(r"^\+84\d{9,10}$")


def max_attempts() -> int:
    return max(1, int(getattr(settings, "EGOV_NOTIFICATIONS_MAX_ATTEMPTS", 5)))


def _is_user(actor: Any) -> bool:
    return (
        actor is not None and getattr(actor, "pk", None) is not None and bool(getattr(actor, "is_authenticated", False))
    )


def normalise_phone(value: str) -> str:
    """+84… (E.164) from 0…, 84… or +84… with spaces, dots or dashes; "" when not a VN number."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("0"):
        digits = "+84" + digits[1:]
    elif digits.startswith("84"):
        digits = "+" + digits
    return digits if _PHONE.match(digits) else ""


def normalise_email(value: str) -> str:
    value = (value or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def _check(kind: str, channels: Sequence[str], link: str, dedupe_key: str) -> None:
    if kind not in messages.KINDS:
        raise EgovError(Code.UNKNOWN_KIND, _("Unknown notification kind “%(kind)s”."), field="kind",
                        params={"kind": str(kind)[:60]})  # fmt: skip
    for channel in channels:
        if channel not in CHANNELS:
            raise EgovError(Code.UNKNOWN_CHANNEL, _("Unknown channel “%(channel)s”."), field="channels",
                            params={"channel": str(channel)[:20]})  # fmt: skip
    # only a path of this site: a notification never sends anyone elsewhere
    if link and (not link.startswith("/") or link.startswith("//") or "\\" in link or len(link) > 300):
        raise EgovError(Code.INVALID_LINK, _("The link must be a path on this site."), field="link")
    if len(dedupe_key) > 200:
        raise EgovError(Code.INVALID, _("The deduplication key is too long."), field="dedupe_key")


def _link_url(link: str) -> str:
    site = str(getattr(settings, "EGOV_SITE_URL", "") or "").rstrip("/")
    return f"{site}{link}" if site and link else ""


def _enqueue_after_commit(delivery_ids: list[int]) -> None:
    def go() -> None:
        for delivery_id in delivery_ids:
            enqueue_delivery(delivery_id)

    if delivery_ids:
        transaction.on_commit(go)


def enqueue_delivery(delivery_id: int, *, run_after: datetime.datetime | None = None) -> None:
    """Hand a delivery to the task backend; a backend that is down only delays it (the periodic
    retry picks up every queued delivery whose time has come)."""
    from egov.notifications.tasks import send_delivery

    try:
        task = send_delivery
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return  # the periodic retry will send it
            task = task.using(run_after=run_after)
        task.enqueue(delivery_id)
    except Exception:  # enqueueing must never break the caller
        logger.exception("notifications.enqueue_failed", extra={"delivery": delivery_id})


def _delivery(kind: str, channel: str, address: str, rendered: messages.Rendered, link: str, **extra: Any) -> Delivery:
    if channel == Channel.EMAIL:
        subject = rendered.subject_vi
        body = messages.email_body(rendered.body_vi, rendered.body_en, _link_url(link))
    else:
        subject, body = "", rendered.sms
    return Delivery.objects.create(
        kind=kind, channel=channel, address=address, subject=subject, body=body, next_attempt_at=timezone.now(), **extra
    )


@transaction.atomic
def notify(
    *,
    actor: Any,
    recipients: Iterable[Any],
    kind: str,
    context: Mapping[str, Any],
    link: str = "",
    dedupe_key: str = "",
    channels: Sequence[str] = CHANNELS,
) -> list[Notification]:
    """An in-app notification to each active recipient, plus an e-mail and/or SMS to the address
    on their account for each of `channels`. With a `dedupe_key`, a recipient who already has a
    notification with that key gets nothing new. Deliveries are sent by a task after commit.
    Returns the notifications created."""
    _check(kind, channels, link, dedupe_key)
    people = {u.pk: u for u in recipients if _is_user(u) and getattr(u, "is_active", True)}
    if not people:
        return []
    if dedupe_key:
        done = set(
            Notification.objects.filter(recipient_id__in=list(people), dedupe_key=dedupe_key).values_list(
                "recipient_id", flat=True
            )
        )
        people = {pk: u for pk, u in people.items() if pk not in done}
        if not people:
            return []
    rendered = messages.render(kind, context)
    created: list[Notification] = []
    deliveries: list[Delivery] = []
    for pk in sorted(people):
        user = people[pk]
        try:
            with transaction.atomic():
                item = Notification.objects.create(
                    recipient=user, kind=kind, subject_vi=rendered.subject_vi, subject_en=rendered.subject_en,
                    body_vi=rendered.body_vi, body_en=rendered.body_en, link=link, dedupe_key=dedupe_key,
                )  # fmt: skip
        except IntegrityError:  # a concurrent run notified this recipient first
            continue
        created.append(item)
        email = normalise_email(getattr(user, "email", "")) if Channel.EMAIL in channels else ""
        phone = normalise_phone(getattr(user, "phone", "")) if Channel.SMS in channels else ""
        if email:
            deliveries.append(_delivery(kind, Channel.EMAIL, email, rendered, link, notification=item))
        if phone:
            deliveries.append(_delivery(kind, Channel.SMS, phone, rendered, link, notification=item))
    if not created:
        return []
    audit_record(
        actor=actor if _is_user(actor) else None,
        action="notifications.notify",
        object_type="notifications.notification",
        object_id=str(created[0].pk),
        after={
            "kind": kind,
            "dedupe_key": dedupe_key,
            "recipients": [n.recipient_id for n in created],
            "notifications": [n.pk for n in created],
            "deliveries": {c: sum(1 for d in deliveries if d.channel == c) for c in CHANNELS},
        },
    )
    _enqueue_after_commit([d.pk for d in deliveries])
    return created


@transaction.atomic
def notify_address(
    *,
    actor: Any,
    kind: str,
    context: Mapping[str, Any],
    email: str = "",
    phone: str = "",
    link: str = "",
    dedupe_key: str = "",
) -> list[Delivery]:
    """A message to a bare address (an applicant without an account): an e-mail and/or an SMS.
    With a `dedupe_key`, an address already sent that key gets nothing new."""
    _check(kind, CHANNELS, link, dedupe_key)
    wanted: list[tuple[str, str]] = []
    if email:
        address = normalise_email(email)
        if not address:
            raise EgovError(Code.INVALID_ADDRESS, _("The e-mail address is not valid."), field="email")
        wanted.append((Channel.EMAIL, address))
    if phone:
        number = normalise_phone(phone)
        if not number:
            raise EgovError(Code.INVALID_ADDRESS, _("The phone number is not a Vietnamese number."), field="phone")
        wanted.append((Channel.SMS, number))
    if not wanted:
        raise EgovError(Code.INVALID_ADDRESS, _("Give an e-mail address or a phone number."), field="email")
    if dedupe_key:
        wanted = [
            (channel, address)
            for channel, address in wanted
            if not Delivery.objects.filter(
                notification__isnull=True, channel=channel, address=address, dedupe_key=dedupe_key
            ).exists()
        ]
        if not wanted:
            return []
    rendered = messages.render(kind, context)
    created: list[Delivery] = []
    for channel, address in wanted:
        try:
            with transaction.atomic():
                created.append(_delivery(kind, channel, address, rendered, link, dedupe_key=dedupe_key))
        except IntegrityError:  # a concurrent call sent it first
            continue
    if not created:
        return []
    audit_record(
        actor=actor if _is_user(actor) else None,
        action="notifications.notify_address",
        object_type="notifications.delivery",
        object_id=str(created[0].pk),
        after={"kind": kind, "dedupe_key": dedupe_key, "deliveries": [d.pk for d in created],
               "channels": [d.channel for d in created]},
    )  # fmt: skip
    _enqueue_after_commit([d.pk for d in created])
    return created


# --- sending -------------------------------------------------------------------------------------


def _claim(delivery_id: int, now: datetime.datetime) -> Delivery | None:
    claimed = (
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + LEASE)
    )
    return Delivery.objects.filter(pk=delivery_id).first() if claimed else None


def delivery_attempt(*, delivery_id: int) -> str:
    """Try to send one queued delivery whose time has come; returns its status afterwards
    ("" when it was not due, already sent or claimed by another worker). Never raises for a
    provider failure: the failure is recorded and retried with back-off up to
    `EGOV_NOTIFICATIONS_MAX_ATTEMPTS` attempts, then the delivery is failed."""
    started = timezone.now()
    delivery = _claim(delivery_id, started)
    if delivery is None:
        return ""
    provider: providers.Provider | None = None
    error, permanent, message_id = "", False, ""
    clock = time.monotonic()
    try:
        provider = providers.provider_for(delivery.channel)
        message_id = provider.send(
            providers.Outgoing(
                reference=f"egov-delivery-{delivery.pk}",
                address=delivery.address,
                subject=delivery.subject,
                body=delivery.body,
            )
        )
    except providers.DeliveryFailed as failure:
        error, permanent = str(failure) or type(failure).__name__, failure.permanent
    except Exception as failure:  # a bug or a misconfigured provider: recorded, retried
        error = f"{type(failure).__name__}: {failure}"
    elapsed = int((time.monotonic() - clock) * 1000)
    with transaction.atomic():
        row = Delivery.objects.select_for_update().get(pk=delivery.pk)
        row.attempts += 1
        row.provider = getattr(provider, "name", "")[:60]
        DeliveryAttempt.objects.create(
            delivery=row, number=row.attempts, at=started, succeeded=not error, error=error[:2000],
            provider_message_id=message_id[:200], duration_ms=elapsed,
        )  # fmt: skip
        retry_at: datetime.datetime | None = None
        if not error:
            row.status = DeliveryStatus.SENT
            row.sent_at = timezone.now()
            row.provider_message_id = message_id[:200]
            row.last_error = ""
            row.next_attempt_at = None
        else:
            row.last_error = error[:2000]
            if permanent or row.attempts >= max_attempts():
                row.status = DeliveryStatus.FAILED
                row.next_attempt_at = None
                logger.warning("notifications.delivery_failed",
                               extra={"delivery": row.pk, "channel": row.channel, "attempts": row.attempts,
                                      "error": row.last_error})  # fmt: skip
            else:
                retry_at = timezone.now() + BACKOFF[min(row.attempts, len(BACKOFF)) - 1]
                row.next_attempt_at = retry_at
        row.save()
        if retry_at is not None:
            when = retry_at
            transaction.on_commit(lambda: enqueue_delivery(row.pk, run_after=when))
    return row.status


def deliveries_retry_due(*, limit: int = 500) -> int:
    """Send every queued delivery whose time has come (the periodic safety net). Returns how many
    were tried."""
    now = timezone.now()
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    return sum(1 for delivery_id in ids if delivery_attempt(delivery_id=delivery_id))


# --- reading -------------------------------------------------------------------------------------


def notification_mark_read(*, actor: Any, notification_id: int) -> Notification:
    """Mark one of `actor`'s notifications read (the same not-found for another's or a missing one)."""
    item = Notification.objects.filter(pk=notification_id, recipient_id=actor.pk).first() if _is_user(actor) else None
    if item is None:
        raise NotFound(Code.NOT_FOUND, _("No such notification."))
    if item.read_at is None:
        item.read_at = timezone.now()
        Notification.objects.filter(pk=item.pk, read_at__isnull=True).update(read_at=item.read_at)
    return item


def notification_mark_all_read(*, actor: Any) -> int:
    if not _is_user(actor):
        return 0
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(read_at=timezone.now())
