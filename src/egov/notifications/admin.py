"""Read-only admin: notifications and deliveries are written by the services only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from egov.notifications.models import Delivery, DeliveryAttempt, Notification


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeliveryAttemptInline(admin.TabularInline[DeliveryAttempt, Delivery]):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("number", "at", "succeeded", "error", "provider_message_id", "duration_ms")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ("created_at", "recipient", "kind", "subject_vi", "read_at")
    list_filter = ("kind",)
    search_fields = ("recipient__username", "subject_vi", "dedupe_key")
    date_hierarchy = "created_at"


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ("created_at", "kind", "channel", "address", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", "kind")
    search_fields = ("address", "provider_message_id")
    inlines = [DeliveryAttemptInline]
