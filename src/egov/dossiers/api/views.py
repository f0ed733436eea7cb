"""HTTP API of the one-stop dossiers: thin views that validate, call a service, serialise."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib.auth import get_user_model
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.common.api import Pagination
from egov.common.errors import EgovError, NotFound
from egov.dossiers import selectors, services, statistics
from egov.dossiers.api import serializers as s
from egov.dossiers.errors import DossiersErrorCode as Code
from egov.dossiers.services import Applicant, FileInput

ERROR = OpenApiResponse(description="Error body: code, message, messages {vi, en}, field")
PDF = OpenApiResponse(OpenApiTypes.BINARY, description="A PDF document")


def _files(items: list[dict[str, Any]]) -> list[FileInput]:
    return [FileInput(f.get("component", ""), f["name"], f["content_base64"]) for f in items]


def _detail(request: Request, code: str) -> Response:
    d = selectors.dossier_get_for_user(user=request.user, code=code)
    context = {"allowed_actions": selectors.allowed_actions(d, request.user)}
    return Response(s.DossierDetailOut(d, context=context).data)


class DossierListCreateApi(APIView):
    @extend_schema(
        operation_id="dossiers_list",
        parameters=[OpenApiParameter("queue", str, enum=list(selectors.QUEUES), required=False)],
        responses={200: s.DossierSummaryOut(many=True), 400: ERROR, 401: ERROR},
        description="Without `queue`: the dossiers the caller may see (own dossiers for a citizen, the agency's "
        "for staff). With `queue`: one back-office queue of the caller's roles and agencies.",
    )
    def get(self, request: Request) -> Response:
        queue = request.query_params.get("queue", "")
        qs = (
            selectors.dossier_queue(user=request.user, queue=queue)
            if queue
            else selectors.dossiers_visible_to(request.user)
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(s.DossierSummaryOut(page, many=True).data)

    @extend_schema(
        operation_id="dossiers_submit",
        request=s.SubmitIn,
        responses={201: s.DossierSummaryOut, 200: s.DossierSummaryOut, 400: ERROR, 401: ERROR, 403: ERROR},
        description="Online submission by a citizen (`channel=online`), or counter/post reception by a one-stop "
        "officer. Files are base64. A repeated `idempotency_key` returns the first dossier with 200.",
    )
    def post(self, request: Request) -> Response:
        data = s.SubmitIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        applicant = Applicant(**v["applicant"]) if v.get("applicant") else None
        d, created = services.dossier_submit(
            actor=request.user,
            procedure=v["procedure"],
            case=v["case"],
            channel=v["channel"],
            eform=v["eform"],
            files=_files(v["files"]),
            applicant=applicant,
            agency=v["agency"],
            centre=v["centre"],
            result_delivery=v["result_delivery"],
            idempotency_key=v["idempotency_key"] or request.headers.get("Idempotency-Key", ""),
        )
        return Response(s.DossierSummaryOut(d).data, status=201 if created else 200)


class DossierQueueCountsApi(APIView):
    @extend_schema(operation_id="dossiers_queue_counts", responses={200: OpenApiTypes.OBJECT, 401: ERROR})
    def get(self, request: Request) -> Response:
        return Response(selectors.queue_counts(user=request.user))


class DossierDetailApi(APIView):
    @extend_schema(
        operation_id="dossiers_retrieve",
        responses={200: s.DossierDetailOut, 401: ERROR, 404: ERROR},
        description="Only for the applicant and the staff of the receiving centre or processing agency; 404 for "
        "everyone else.",
    )
    def get(self, request: Request, code: str) -> Response:
        return _detail(request, code)


class DossierActionApi(APIView):
    @extend_schema(
        operation_id="dossiers_act",
        request=s.ActionIn,
        responses={200: s.DossierDetailOut, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    def post(self, request: Request, code: str) -> Response:
        selectors.dossier_get_for_user(user=request.user, code=code)
        data = s.ActionIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        assignee = None
        if v["assignee"]:
            assignee = get_user_model().objects.filter(username=v["assignee"]).first()
            if assignee is None:
                raise EgovError(Code.INVALID, _("Unknown user."), field="assignee")
        result = v.get("result")
        services.dossier_act(
            actor=request.user,
            code=code,
            action=v["action"],
            reason=v["reason"],
            assignee=assignee,
            files=_files(v["files"]),
            result=FileInput("", result["name"], result["content_base64"]) if result else None,
            expected_revision=v.get("expected_revision"),
        )
        return _detail(request, code)


class DossierApologyApi(APIView):
    @extend_schema(
        operation_id="dossiers_apologise",
        request=s.ApologyIn,
        responses={200: s.DossierDetailOut, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
        description="Form 04: apology with a new appointment, at least one working day before the due date, once.",
    )
    def post(self, request: Request, code: str) -> Response:
        selectors.dossier_get_for_user(user=request.user, code=code)
        data = s.ApologyIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.dossier_apologise(actor=request.user, code=code, reason=v["reason"], new_due_at=v["new_due_at"],
                                   agency_at_fault=v["agency_at_fault"])  # fmt: skip
        return _detail(request, code)


class DossierHistoryApi(APIView):
    @extend_schema(operation_id="dossiers_history", responses={200: s.EventOut(many=True), 401: ERROR, 404: ERROR})
    def get(self, request: Request, code: str) -> Response:
        d = selectors.dossier_get_for_user(user=request.user, code=code)
        return Response(s.EventOut(selectors.dossier_history(d), many=True).data)


class DossierFormApi(APIView):
    @extend_schema(operation_id="dossiers_form", responses={200: PDF, 401: ERROR, 404: ERROR})
    def get(self, request: Request, code: str, form: str) -> HttpResponse:
        d = selectors.dossier_get_for_user(user=request.user, code=code)
        pdf = selectors.dossier_form_pdf(d=d, form=form, user=request.user)
        response = HttpResponse(pdf.data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{d.code}-{form}.pdf"'
        response["X-Signed"] = "true" if pdf.signed else "false"
        return response


class DossierFileApi(APIView):
    @extend_schema(operation_id="dossiers_file", responses={200: PDF, 401: ERROR, 404: ERROR})
    def get(self, request: Request, code: str, file_id: int) -> FileResponse:
        d = selectors.dossier_get_for_user(user=request.user, code=code)
        item = d.files.filter(pk=file_id).first()
        if item is None:
            raise NotFound(Code.NOT_FOUND, _("No such file in the dossier."))
        response = FileResponse(
            item.content.open("rb"), content_type=item.content_type, filename=item.name, as_attachment=True
        )
        response["X-Signed"] = "true" if item.signed else "false"
        return response


class DossierLookupApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        operation_id="dossiers_public_lookup",
        responses={200: s.PublicStatusOut, 404: ERROR},
        description="Public: status, received date, due date and current step in plain words. Never personal data.",
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(s.PublicStatusOut(dataclasses.asdict(selectors.dossier_public_lookup(code))).data)


class DossierPublicLookupApi(DossierLookupApi):
    """The same public lookup at `/api/v1/public/dossiers/{code}/` (the address the issue names)."""

    @extend_schema(
        operation_id="public_dossiers_lookup",
        responses={200: s.PublicStatusOut, 404: ERROR},
        description="Public: status, received date, due date and current step in plain words. Never personal data.",
    )
    def get(self, request: Request, code: str) -> Response:
        return super().get(request, code)


STATS_DESCRIPTION = """Counts of one-stop dossiers for a period (vn-standards §5.4, §5.5), within the caller's scope
(the whole province for system administrators and the staff of the provincial People's Committee, its office
and the provincial centre; otherwise the dossiers the caller's agencies process or receive). Give `period`
(`2026-M05`, `2026-Q3`, `2026-6M`, `2026-9M`, `2026`) or `from` and `to`; nothing means the current year.
`group_by` adds `rows` (one per centre, agency, field or procedure: `key`, `name` and the counts); the counts
at the top level are the total. Paused dossiers (supplement, payment, stop) are never counted over the deadline."""


class DossierStatsApi(APIView):
    @extend_schema(
        operation_id="dossiers_statistics",
        parameters=[
            OpenApiParameter(
                "period", str, required=False, description="2026-M05 | 2026-Q3 | 2026-6M | 2026-9M | 2026"
            ),
            OpenApiParameter("from", OpenApiTypes.DATE, required=False),
            OpenApiParameter("to", OpenApiTypes.DATE, required=False),
            OpenApiParameter("agency", str, required=False, description="processing agency code"),
            OpenApiParameter("centre", str, required=False, description="receiving centre code"),
            OpenApiParameter("procedure", str, required=False),
            OpenApiParameter("field", str, required=False),
            OpenApiParameter("group_by", str, enum=["centre", "agency", "field", "procedure"], required=False),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: ERROR, 401: ERROR, 403: ERROR},
        description=STATS_DESCRIPTION,
    )
    def get(self, request: Request) -> Response:
        q = request.query_params
        table = statistics.statistics_request(
            user=request.user,
            period=q.get("period", ""),
            date_from=q.get("from", ""),
            date_to=q.get("to", ""),
            agency=q.get("agency", ""),
            centre=q.get("centre", ""),
            procedure=q.get("procedure", ""),
            field=q.get("field", ""),
            group_by=q.get("group_by", ""),
        )
        return Response(table.as_dict())
