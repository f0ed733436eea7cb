"""HTTP API of the electronic office: outgoing/incoming lists and creation, detail, the flow's
actions, registers (JSON, .xlsx, .pdf) and the electronic-share statistics."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.common.api import Pagination
from egov.common.errors import EgovError, NotFound, PermissionDenied
from egov.documents import reports, selectors, services
from egov.documents.api.serializers import (
    ActionInput,
    DocumentDetail,
    DocumentSummary,
    IncomingInput,
    OutgoingInput,
)
from egov.documents.errors import DocumentsErrorCode
from egov.documents.models import Direction
from egov.orgs.models import Agency, Role
from egov.orgs.selectors import agency_find, memberships_for_user, user_roles

E = DocumentsErrorCode
ERROR = OpenApiResponse(description="Error body: code, message, messages {vi, en}, field")
FILTERS = [
    OpenApiParameter("q", str, description="words searched in summary and metadata, Vietnamese folding"),
    OpenApiParameter("type", str, description="document type code, e.g. quyet-dinh"),
    OpenApiParameter("issuer", str),
    OpenApiParameter("from", str, description="YYYY-MM-DD"),
    OpenApiParameter("to", str, description="YYYY-MM-DD"),
    OpenApiParameter("register", int),
    OpenApiParameter("status", str),
    OpenApiParameter("due", str, enum=["overdue", "soon"]),
]


def _date(value: str | None, field: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise EgovError(E.INVALID, _("A date is written YYYY-MM-DD."), field=field) from exc


def _agency(user: Any, code: str | None) -> Agency:
    """The agency named by `code` if the user works there, else the user's primary agency."""
    memberships = memberships_for_user(user)
    if code:
        found = agency_find(code)
        if found is None or not any(m.agency_id == found.pk for m in memberships):
            raise NotFound(E.NOT_FOUND, _("You do not work for this agency."))
        return found
    if not memberships:
        raise NotFound(E.NOT_FOUND, _("You do not work for any agency."))
    return Agency.objects.get(pk=memberships[0].agency_id)


def _int(value: str | None, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError as exc:
        raise EgovError(E.INVALID, _("Unknown value: %(value)s."), field=field, params={"value": value}) from exc


class _ListCreateApi(APIView):
    direction = ""
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def _list(self, request: Request) -> Response:
        p = request.query_params
        qs = selectors.document_search(
            request.user,
            direction=self.direction,
            q=p.get("q"),
            document_type=p.get("type"),
            issuer=p.get("issuer"),
            date_from=_date(p.get("from"), "from"),
            date_to=_date(p.get("to"), "to"),
            register=_int(p.get("register"), "register"),
            status=p.get("status"),
            due=p.get("due"),
        ).order_by("-created_at", "-id")
        paginator = Pagination()
        rows = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(DocumentSummary(rows, many=True).data)


class OutgoingDocumentListApi(_ListCreateApi):
    direction = Direction.OUTGOING

    @extend_schema(parameters=FILTERS, responses={200: DocumentSummary(many=True), 400: ERROR, 401: ERROR})
    def get(self, request: Request) -> Response:
        return self._list(request)

    @extend_schema(
        request=OutgoingInput, responses={201: DocumentDetail, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR}
    )
    def post(self, request: Request) -> Response:
        data = OutgoingInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        agency = _agency(request.user, v.get("agency"))
        unit = agency.units.filter(pk=v["drafting_unit"]).first() if v.get("drafting_unit") else None
        if v.get("drafting_unit") and unit is None:
            raise EgovError(E.UNIT_OF_OTHER_AGENCY, _("The unit belongs to another agency."), field="drafting_unit")
        codes = [c.strip() for c in (v.get("recipients") or "").split(",") if c.strip()]
        doc = services.document_draft_create(
            actor=request.user,
            agency=agency,
            document_type=v["document_type"],
            subject=v["subject"],
            main_file=services.Upload.from_django(v["main_file"]),
            source_file=services.Upload.from_django(v["source_file"]) if v.get("source_file") else None,
            attachments=[services.Upload.from_django(f) for f in v.get("attachments", [])],
            recipients=[{"organ_id": c} for c in codes],
            drafting_unit=unit,
            signer_competence=v.get("signer_competence", ""),
            signer_position=v.get("signer_position", ""),
            signer_name=v.get("signer_name", ""),
            priority=v["priority"],
            confidentiality=v["confidentiality"],
            due_date=v.get("due_date"),
        )
        return Response(DocumentDetail(doc).data, status=status.HTTP_201_CREATED)


class IncomingDocumentListApi(_ListCreateApi):
    direction = Direction.INCOMING

    @extend_schema(parameters=FILTERS, responses={200: DocumentSummary(many=True), 400: ERROR, 401: ERROR})
    def get(self, request: Request) -> Response:
        return self._list(request)

    @extend_schema(
        request=IncomingInput, responses={201: DocumentDetail, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR}
    )
    def post(self, request: Request) -> Response:
        """A paper document received, recorded with its scan by the clerk."""
        data = IncomingInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        doc = services.document_receive_paper(
            actor=request.user,
            agency=_agency(request.user, v.get("agency")),
            document_type=v["document_type"],
            subject=v["subject"],
            issuer_name=v["issuer_name"],
            issuer_organ_id=v.get("issuer_organ_id", ""),
            number=v.get("number"),
            notation=v.get("notation", ""),
            issued_date=v.get("issued_date"),
            scan=services.Upload.from_django(v["scan"]),
            priority=v["priority"],
            confidentiality=v["confidentiality"],
            due_date=v.get("due_date"),
        )
        return Response(DocumentDetail(doc).data, status=status.HTTP_201_CREATED)


class DocumentDetailApi(APIView):
    @extend_schema(responses={200: DocumentDetail, 401: ERROR, 404: ERROR})
    def get(self, request: Request, pk: int) -> Response:
        return Response(DocumentDetail(selectors.document_get_for_user(request.user, pk)).data)


def _user(pk: int | None, field: str) -> Any:
    if pk is None:
        raise EgovError(E.INVALID, _("This field is required."), field=field)
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None:
        raise EgovError(E.HANDLER_INVALID, _("Unknown user."), field=field)
    return user


def run_action(user: Any, doc: Any, action: str, v: dict[str, Any]) -> Any:
    """One step of the flow by name (shared by the API and the web pages)."""
    s = services
    actions: dict[str, Any] = {
        "submit": lambda: s.document_submit(actor=user, document=doc),
        "approve": lambda: s.document_approve(actor=user, document=doc, comment=v.get("comment", "")),
        "return": lambda: s.document_return(actor=user, document=doc, comment=v.get("comment", "")),
        "sign": lambda: s.document_sign(actor=user, document=doc),
        "number": lambda: s.document_number(actor=user, document=doc),
        "seal": lambda: s.document_seal(actor=user, document=doc),
        "release": lambda: s.document_release(actor=user, document=doc, channel=v.get("channel") or "electronic"),
        "check": lambda: s.document_check_signatures(actor=user, document=doc),
        "register": lambda: s.document_register(
            actor=user, document=doc, present_to=_user(v["present_to"], "present_to") if v.get("present_to") else None
        ),
        "refuse": lambda: s.document_refuse(actor=user, document=doc, reason=v.get("reason", "")),
        "assign": lambda: s.document_assign(
            actor=user,
            document=doc,
            lead_unit=v.get("lead_unit") or 0,
            coordinating_units=v.get("coordinating_units", []),
            days=v.get("days"),
            deadline=v.get("deadline"),
            instruction=v.get("instruction", ""),
        ),
        "assign_handler": lambda: s.document_assign_handler(
            actor=user,
            document=doc,
            handler=_user(v.get("handler"), "handler"),
            deadline=v.get("deadline"),
            instruction=v.get("instruction", ""),
        ),
        "start": lambda: s.document_start(actor=user, document=doc, note=v.get("note", "")),
        "complete": lambda: s.document_complete(actor=user, document=doc, note=v.get("note", "")),
    }
    if action not in actions:
        raise EgovError(E.UNKNOWN_ACTION, _("Unknown action: %(value)s."), field="action", params={"value": action})
    return actions[action]()


class DocumentActionApi(APIView):
    @extend_schema(request=ActionInput, responses={200: DocumentDetail, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR})
    def post(self, request: Request, pk: int) -> Response:
        """Actions: submit, approve, return, sign, number, seal, release, check, register, refuse,
        assign, assign_handler, start, complete."""
        doc = selectors.document_get_for_user(request.user, pk)
        data = ActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        run_action(request.user, doc, data.validated_data["action"], dict(data.validated_data))
        return Response(DocumentDetail(selectors.document_get_for_user(request.user, pk)).data)


def _register_agency(request: Request) -> Agency:
    agency = _agency(request.user, request.query_params.get("agency"))
    if not {Role.CLERK, Role.LEADER, Role.AGENCY_ADMIN} & user_roles(request.user, agency):
        raise NotFound(E.NOT_FOUND, _("You do not work for this agency."))
    return agency


class DocumentRegisterApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("year", int), OpenApiParameter("agency", str)],
        responses={
            200: OpenApiResponse(description="columns and rows; .xlsx and .pdf variants"),
            401: ERROR,
            404: ERROR,
        },
    )
    def get(self, request: Request, kind: str, fmt: str = "json") -> Response | HttpResponse:
        if kind not in selectors.REGISTER_COLUMNS:
            raise NotFound(E.NOT_FOUND, _("No such register."))
        agency = _register_agency(request)
        year = _int(request.query_params.get("year"), "year") or timezone.localdate().year
        rows = selectors.register_rows(agency=agency, kind=kind, year=year)
        name = f"so-{kind}-{agency.code}-{year}"
        if fmt == "xlsx":
            body = reports.register_xlsx(agency=agency, kind=kind, year=year, rows=rows)
            response = HttpResponse(
                body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        if fmt == "pdf":
            response = HttpResponse(
                reports.register_pdf(agency=agency, kind=kind, year=year, rows=rows), content_type="application/pdf"
            )
            response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
            return response
        columns = [{"key": k, "label": label} for k, label in selectors.REGISTER_COLUMNS[kind]]
        return Response({"agency": agency.code, "kind": kind, "year": year, "columns": columns, "rows": rows})


class DocumentStatsApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("from", str), OpenApiParameter("to", str), OpenApiParameter("agency", str)],
        responses={
            200: OpenApiResponse(description="electronic vs paper counts and shares"),
            400: ERROR,
            401: ERROR,
            404: ERROR,
        },
    )
    def get(self, request: Request) -> Response:
        p = request.query_params
        today = timezone.localdate()
        date_from = _date(p.get("from"), "from") or today.replace(month=1, day=1)
        date_to = _date(p.get("to"), "to") or today
        agency = None
        if p.get("agency"):
            agency = agency_find(p["agency"])
            if agency is None:
                raise NotFound(E.NOT_FOUND, _("No agency has this code."))
        return Response(selectors.electronic_share(date_from=date_from, date_to=date_to, agency=agency))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staff_agency(user: Any, code: str | None) -> Agency:
    """The agency named by `code` (else the user's primary agency); refused unless the user works there."""
    memberships = memberships_for_user(user)
    if code:
        found = agency_find(code)
        if found is None:
            raise NotFound(E.NOT_FOUND, _("No agency has this code."))
    elif memberships:
        found = Agency.objects.get(pk=memberships[0].agency_id)
    else:
        raise PermissionDenied(E.ROLE_REQUIRED, _("You do not work for any agency."))
    if not any(m.agency_id == found.pk for m in memberships):
        raise PermissionDenied(E.ROLE_REQUIRED, _("You do not work for %(agency)s."), params={"agency": found.name_vi})
    return found


class FileListApi(APIView):
    """The yearly file list (danh mục hồ sơ) of an agency, JSON or `format=xlsx`."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # `format=xlsx` is answered by this view itself, not by a DRF renderer.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int),
            OpenApiParameter("agency", str, description="agency code (OrganId); default your agency"),
            OpenApiParameter("format", str, enum=["json", "xlsx"]),
        ],
        responses={
            200: OpenApiResponse(description="columns and rows of the file list; an .xlsx with format=xlsx"),
            400: ERROR,
            401: ERROR,
            403: ERROR,
            404: ERROR,
        },
    )
    def get(self, request: Request) -> Response | HttpResponse:
        agency = _staff_agency(request.user, request.query_params.get("agency"))
        year = _int(request.query_params.get("year"), "year") or timezone.localdate().year
        rows = selectors.file_list_rows(agency=agency, year=year)
        if request.query_params.get("format") == "xlsx":
            response = HttpResponse(reports.file_list_xlsx(agency=agency, year=year, rows=rows), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="danh-muc-ho-so-{agency.code}-{year}.xlsx"'
            return response
        columns = [{"key": k, "label": label} for k, label in selectors.FILE_LIST_COLUMNS]
        return Response({"agency": agency.code, "year": year, "columns": columns, "rows": rows})


class FileExportApi(APIView):
    """The archive package (ZIP) of a closed file."""

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(description="ZIP: metadata.json, PDFs, manifest-sha256.txt"),
            400: ERROR,
            401: ERROR,
            403: ERROR,
            404: ERROR,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        case_file = selectors.case_file_get(pk)
        body = services.file_export(actor=request.user, file=case_file)
        name = selectors.case_file_code(case_file).replace("/", "-")
        response = HttpResponse(body, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="ho-so-{name}.zip"'
        return response
