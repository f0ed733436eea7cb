"""HTTP API of orgs: the public agency directory, agency writes for administrators, the
caller's own memberships, and an agency's staff list.

Views only parse, check who may act (policy in `selectors.user_can_*`), call a service and
serialise. Every refusal is an `EgovError` or DRF exception rendered by the project handler.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.common.api import Pagination
from egov.common.errors import CommonErrorCode, NotFound, PermissionDenied
from egov.orgs import selectors, services
from egov.orgs.api.serializers import (
    AGENCY_INPUT_MAP,
    AgencyCloseInput,
    AgencyCreateInput,
    AgencyDetailOutput,
    AgencyListQuery,
    AgencyMemberOutput,
    AgencyOutput,
    AgencyUpdateInput,
    MeOutput,
)
from egov.orgs.errors import OrgsErrorCode
from egov.orgs.models import Agency

ERROR = OpenApiResponse(description="Error body: code, message, messages {vi, en}, field")
CODE = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description="Identifier code, QCVN 102 (000.00.00.H54) or Decision 20 (H54)"
)


class _OrgsApi(APIView):
    def get_permissions(self) -> list[Any]:
        method = (self.request.method or "get").lower()
        classes = getattr(self, f"permission_classes_{method}", self.permission_classes)
        return [permission() for permission in classes]


def _agency_or_404(code: str) -> Agency:
    agency = selectors.agency_find(code)
    if agency is None:
        raise NotFound(OrgsErrorCode.NOT_FOUND, _("No agency has the code %(code)s."), params={"code": code})
    return agency


def _forbidden() -> PermissionDenied:
    return PermissionDenied(CommonErrorCode.PERMISSION_DENIED, _("You are not allowed to do this."))


def _service_args(data: dict[str, Any]) -> dict[str, Any]:
    return {AGENCY_INPUT_MAP[key]: value for key, value in data.items() if key in AGENCY_INPUT_MAP}


class AgencyCollectionApi(_OrgsApi):
    """GET: the public directory (anyone). POST: create an agency (administrators)."""

    permission_classes_get = [AllowAny]
    permission_classes_post = [IsAuthenticated]

    @extend_schema(
        operation_id="agencies_list",
        parameters=[AgencyListQuery],
        responses={200: AgencyOutput(many=True), 400: ERROR},
        description="Search is diacritic-insensitive (“thai binh” finds “Thái Bình”). Without `in_force_on` "
        "or `include_closed`, only the agencies in force today are listed.",
    )
    def get(self, request: Request) -> Response:
        query = AgencyListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        in_force_on = params.get("in_force_on")
        if in_force_on is None and not params["include_closed"]:
            in_force_on = timezone.localdate()
        qs = selectors.agency_filter(
            search=params.get("search"),
            kind=params.get("kind"),
            parent_code=params.get("parent") or None,
            in_force_on=in_force_on,
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(AgencyOutput(page, many=True).data)

    @extend_schema(
        operation_id="agencies_create",
        request=AgencyCreateInput,
        responses={201: AgencyDetailOutput, 400: ERROR, 401: ERROR, 403: ERROR},
        description="A system administrator, or an agency administrator of the parent agency.",
    )
    def post(self, request: Request) -> Response:
        parent_code = request.data.get("parent_code") if hasattr(request.data, "get") else None
        parent = selectors.agency_find(str(parent_code)) if parent_code else None
        if not selectors.user_can_manage_agencies_under(request.user, parent):
            raise _forbidden()
        data = AgencyCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        agency = services.agency_create(actor=request.user, **_service_args(dict(data.validated_data)))
        return Response(AgencyDetailOutput(agency).data, status=status.HTTP_201_CREATED)


class AgencyItemApi(_OrgsApi):
    """GET: one agency (anyone). PATCH: change it (administrators)."""

    permission_classes_get = [AllowAny]
    permission_classes_patch = [IsAuthenticated]

    @extend_schema(
        operation_id="agencies_retrieve",
        parameters=[CODE],
        responses={200: AgencyDetailOutput, 404: ERROR},
        description="The agency holding the code today, or the latest one that held it.",
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(AgencyDetailOutput(_agency_or_404(code)).data)

    @extend_schema(
        operation_id="agencies_update",
        parameters=[CODE],
        request=AgencyUpdateInput,
        responses={200: AgencyDetailOutput, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR},
        description="Administrators of the current parent (and of the new parent when moving it), "
        "or system administrators. Closing is a separate operation.",
    )
    def patch(self, request: Request, code: str) -> Response:
        agency = _agency_or_404(code)
        allowed = selectors.user_can_manage_agencies_under(request.user, agency.parent)
        if allowed and hasattr(request.data, "get") and request.data.get("parent_code"):
            new_parent = selectors.agency_find(str(request.data.get("parent_code")))
            allowed = selectors.user_can_manage_agencies_under(request.user, new_parent)
        if not allowed:
            raise _forbidden()
        data = AgencyUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        updated = services.agency_update(actor=request.user, agency=agency, **_service_args(dict(data.validated_data)))
        return Response(AgencyDetailOutput(updated).data)


class AgencyCloseApi(_OrgsApi):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="agencies_close",
        parameters=[CODE],
        request=AgencyCloseInput,
        responses={200: AgencyDetailOutput, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR},
        description="Close the agency on `valid_to` (its last day); the successor takes over the next day, "
        "with its staff if `transfer_staff`, and its open work through the registered succession handlers.",
    )
    def post(self, request: Request, code: str) -> Response:
        agency = _agency_or_404(code)
        if not selectors.user_can_manage_agencies_under(request.user, agency.parent):
            raise _forbidden()
        data = AgencyCloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        closed = services.agency_close(
            actor=request.user,
            agency=agency,
            valid_to=params["valid_to"],
            successor=params.get("successor_code") or None,
            reason=params["reason"],
            transfer_staff=params["transfer_staff"],
        )
        return Response(AgencyDetailOutput(closed).data)


class AgencyMembershipListApi(_OrgsApi):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="agencies_memberships_list",
        parameters=[CODE],
        responses={200: AgencyMemberOutput(many=True), 401: ERROR, 403: ERROR, 404: ERROR},
        description="The staff in force today: for the agency's administrators and leaders, and system administrators.",
    )
    def get(self, request: Request, code: str) -> Response:
        agency = _agency_or_404(code)
        if not selectors.user_can_view_agency_staff(request.user, agency):
            raise _forbidden()
        rows = selectors.memberships_for_agency(agency)
        paginator = Pagination()
        page: list[Any] | None = paginator.paginate_queryset(rows, request, view=self)  # type: ignore[arg-type]
        return paginator.get_paginated_response(AgencyMemberOutput(page, many=True).data)


class MeApi(_OrgsApi):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="me_retrieve", responses={200: MeOutput, 401: ERROR})
    def get(self, request: Request) -> Response:
        user: Any = request.user
        body = {
            "username": user.get_username(),
            "full_name": getattr(user, "full_name", "") or user.get_full_name(),
            "kind": getattr(user, "kind", ""),
            "memberships": selectors.memberships_for_user(user),
        }
        return Response(MeOutput(body).data)
