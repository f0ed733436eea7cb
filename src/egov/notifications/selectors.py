"""Reads: a user's own notifications (nobody else's), the unread count."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from egov.common.errors import NotFound
from egov.notifications.errors import NotificationsErrorCode as Code
from egov.notifications.models import Delivery, Notification


def _is_user(user: Any) -> bool:
    return user is not None and getattr(user, "pk", None) is not None and bool(getattr(user, "is_authenticated", False))


def notification_list_for_user(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    if not _is_user(user):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_get_for_user(*, user: Any, notification_id: int) -> Notification:
    """One of the user's notifications; the same not-found for another's or a missing one."""
    item = notification_list_for_user(user=user).filter(pk=notification_id).first()
    if item is None:
        raise NotFound(Code.NOT_FOUND, _("No such notification."))
    return item


def unread_count(*, user: Any) -> int:
    return notification_list_for_user(user=user, unread_only=True).count()


def delivery_list_for_notification(notification: Notification) -> QuerySet[Delivery]:
    return notification.deliveries.order_by("channel", "id")
