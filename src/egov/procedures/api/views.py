"""Public HTTP API of the catalogue: search, one procedure, the field code list. Read only."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.common.api import Pagination
from egov.procedures import selectors
from egov.procedures.api.serializers import (
    FieldOutput,
    ProcedureDetailOutput,
    ProcedureListQuery,
    ProcedureSummaryOutput,
)
from egov.procedures.models import ProcedureField, ProcedureVersion

ERROR = OpenApiResponse(description="Error body: code, message, messages {vi, en}, field")


class ProcedureListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="procedures_list",
        parameters=[ProcedureListQuery],
        responses={200: ProcedureSummaryOutput(many=True), 400: ERROR},
        description="Procedures in force today. `search` is folded (“dang ky kinh doanh” finds “Đăng ký kinh "
        "doanh”; đ = d; decomposed input works); every word must match. `agency` is an agency code "
        "(000.00.11.H54 or H54.11), `field` a field code, `level` province|district|commune, `service_level` "
        "a level code (full, partial, L4…) or scheme:code (2022:full).",
    )
    def get(self, request: Request) -> Response:
        query = ProcedureListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        p = query.validated_data
        qs: QuerySet[ProcedureVersion] = selectors.procedure_search(
            search=p.get("search"),
            agency=p.get("agency") or None,
            field=p.get("field") or None,
            level=p.get("level") or None,
            service_level=p.get("service_level") or None,
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ProcedureSummaryOutput(page, many=True).data)


class ProcedureDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="procedures_retrieve",
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                description="National code (1.004227) or provincial code (1.004227.000.00.00.H54)",
            )
        ],
        responses={200: ProcedureDetailOutput, 404: ERROR},
        description="The version in force today (else the latest published one), with its channels, fees, "
        "dossier components, internal process steps and e-form JSON Schema.",
    )
    def get(self, request: Request, code: str) -> Response:
        version = selectors.procedure_get(code)
        return Response(ProcedureDetailOutput(version, context={"request": request}).data)


class ProcedureFieldListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="procedure_fields_list", responses={200: FieldOutput(many=True)})
    def get(self, request: Request) -> Response:
        fields: QuerySet[ProcedureField] = selectors.procedure_field_list()
        paginator = Pagination()
        page = paginator.paginate_queryset(fields, request, view=self)
        return paginator.get_paginated_response(FieldOutput(page, many=True).data)
