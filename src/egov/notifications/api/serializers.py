"""Output shape of a notification (the active language's texts plus both languages)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from rest_framework import serializers

from egov.notifications.messages import KINDS
from egov.notifications.models import Notification


class NotificationOut(serializers.ModelSerializer[Notification]):
    kind_label = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "subject", "body", "subject_vi", "subject_en", "body_vi", "body_en",
                  "link", "created_at", "read_at"]  # fmt: skip
        read_only_fields = fields

    def _english(self) -> bool:
        return (get_language() or "vi").startswith("en")

    def get_kind_label(self, obj: Notification) -> str:
        return str(KINDS.get(obj.kind, obj.kind))

    def get_subject(self, obj: Notification) -> str:
        return obj.subject_en if self._english() else obj.subject_vi

    def get_body(self, obj: Notification) -> str:
        return obj.body_en if self._english() else obj.body_vi


class UnreadCountOut(serializers.Serializer[Any]):
    unread = serializers.IntegerField()
