"""HTTP API of notifications: the caller's own only (another's is a 404)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.common.api import Pagination
from egov.notifications import selectors, services
from egov.notifications.api import serializers as s

ERROR = OpenApiResponse(description="Error body: code, message, messages {vi, en}, field")


class NotificationListApi(APIView):
    @extend_schema(
        operation_id="notifications_list",
        parameters=[OpenApiParameter("unread", bool, required=False, description="only the unread ones")],
        responses={200: s.NotificationOut(many=True), 401: ERROR},
        description="The caller's own notifications, newest first.",
    )
    def get(self, request: Request) -> Response:
        unread_only = request.query_params.get("unread", "").lower() in ("1", "true", "yes")
        qs = selectors.notification_list_for_user(user=request.user, unread_only=unread_only)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(s.NotificationOut(page, many=True).data)


class NotificationUnreadCountApi(APIView):
    @extend_schema(operation_id="notifications_unread_count", responses={200: s.UnreadCountOut, 401: ERROR})
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_count(user=request.user)})


class NotificationReadApi(APIView):
    @extend_schema(
        operation_id="notifications_mark_read",
        request=None,
        responses={200: s.NotificationOut, 401: ERROR, 404: ERROR},
        description="Mark one of the caller's notifications read (idempotent); 404 for anyone else's.",
    )
    def post(self, request: Request, notification_id: int) -> Response:
        item = services.notification_mark_read(actor=request.user, notification_id=notification_id)
        return Response(s.NotificationOut(item).data)


class NotificationReadAllApi(APIView):
    @extend_schema(operation_id="notifications_mark_all_read", request=None, responses={200: s.UnreadCountOut})
    def post(self, request: Request) -> Response:
        services.notification_mark_all_read(actor=request.user)
        return Response({"unread": 0})
