"""HTTP API: public verification, signing for staff, the certificate registry."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.common.errors import CommonErrorCode, EgovError, PermissionDenied
from egov.orgs.selectors import agency_find, memberships_for_user, user_has_role
from egov.signatures import pades, selectors, services
from egov.signatures.api.serializers import (
    CertificateImportInput,
    CertificateListQuery,
    CertificateOutput,
    SignInput,
    VerifyInput,
    VerifyOutput,
)
from egov.signatures.errors import SignaturesErrorCode
from egov.signatures.report import report_pdf
from egov.signatures.validation import validate_pdf

ERROR = OpenApiResponse(description="Error body: code, message, messages {vi, en}, field")
MAX_PDF_BYTES = 20 * 1024 * 1024


def _read_upload(upload: Any) -> bytes:
    limit = min(MAX_PDF_BYTES, getattr(settings, "EGOV_MAX_UPLOAD_BYTES", MAX_PDF_BYTES))
    if upload.size > limit:
        raise EgovError(
            SignaturesErrorCode.FILE_TOO_LARGE,
            _("The file is larger than %(limit_mb)s MB."),
            field="file",
            params={"limit_mb": limit // (1024 * 1024)},
            status_code=413,
        )
    return bytes(upload.read())


def _denied() -> PermissionDenied:
    return PermissionDenied(CommonErrorCode.PERMISSION_DENIED, _("You may not do this."))


def _is_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "kind", "") == "staff"


class SignatureVerifyApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": VerifyInput},
        responses={200: VerifyOutput, 400: ERROR, 413: ERROR},
        summary="Verify the signatures of a PDF (public)",
    )
    def post(self, request: Request) -> Response:
        data = VerifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = validate_pdf(_read_upload(data.validated_data["file"]))
        return Response(report.as_dict())


class SignatureReportPdfApi(APIView):
    """The same check as /verify/, answered as a printable A4 report (PDF)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": VerifyInput},
        responses={(200, "application/pdf"): bytes, 400: ERROR, 413: ERROR},
        summary="Printable validation report of a PDF's signatures (public)",
    )
    def post(self, request: Request) -> HttpResponse:
        data = VerifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        content = _read_upload(upload)
        pdf = report_pdf(validate_pdf(content), file_name=str(upload.name)[:200], data=content)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="bao-cao-xac-thuc.pdf"'
        return response


class SignatureSignApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": SignInput},
        responses={(200, "application/pdf"): bytes, 400: ERROR, 401: ERROR, 403: ERROR},
        summary="Sign a PDF with one's own certificate or one's agency seal (clerk)",
    )
    def post(self, request: Request) -> HttpResponse:
        if not _is_staff(request.user):
            raise _denied()
        data = SignInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        pdf = _read_upload(values["file"])
        agency_code = values.get("as_agency") or ""
        appearance: pades.Appearance
        if agency_code:
            if not user_has_role(request.user, "clerk", agency_code):
                raise _denied()
            cert = selectors.certificate_for_agency(agency_code)
            if cert is None:
                raise EgovError(SignaturesErrorCode.NO_CERTIFICATE, _("The agency has no usable certificate."))
            appearance = pades.CopyAppearance(cert.common_name, values.get("number_notation", ""))
        else:
            cert = selectors.certificate_for_user(request.user)
            if cert is None:
                raise EgovError(SignaturesErrorCode.NO_CERTIFICATE, _("You have no usable personal certificate."))
            position = values.get("position") or next(
                (m.position for m in memberships_for_user(request.user) if m.position), ""
            )
            appearance = pades.PersonalAppearance(position.upper(), cert.common_name)
        signed = services.pdf_sign(
            actor=request.user, data=pdf, certificate=cert, level=values["level"], appearance=appearance
        )
        response = HttpResponse(signed, content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="signed.pdf"'
        return response


class CertificateListApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        parameters=[CertificateListQuery], responses={200: CertificateOutput(many=True), 401: ERROR, 403: ERROR}
    )
    def get(self, request: Request) -> Response:
        if not _is_staff(request.user):
            raise _denied()
        query = CertificateListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        rows = selectors.certificate_list(
            agency_code=q.get("agency"), kind=q.get("kind"), expiring_before=q.get("expiring_before")
        )[:500]
        return Response(CertificateOutput(rows, many=True).data)

    @extend_schema(
        request={"multipart/form-data": CertificateImportInput},
        responses={201: CertificateOutput, 400: ERROR, 401: ERROR, 403: ERROR},
        summary="Import a certificate (PEM, DER or PKCS#12) for an agency or a person",
    )
    def post(self, request: Request) -> Response:
        data = CertificateImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        agency = agency_find(values["agency"]) if values.get("agency") else None
        if values.get("agency") and agency is None:
            raise EgovError(
                SignaturesErrorCode.AGENCY_UNKNOWN,
                _("No agency has the code %(code)s."),
                field="agency",
                params={"code": values["agency"]},
            )
        if not _may_import(request.user, agency):
            raise _denied()
        person = None
        if values.get("username"):
            person = get_user_model().objects.filter(username=values["username"]).first()
            if person is None:
                raise EgovError(SignaturesErrorCode.UNKNOWN_USER, _("No account has this username."), field="username")
        cert = services.certificate_import(
            actor=request.user,
            data=_read_upload(values["file"]),
            password=values.get("password") or None,
            agency=agency,
            user=person,
            kind=values["kind"],
        )
        return Response(CertificateOutput(cert).data, status=201)


def _may_import(user: Any, agency: Any) -> bool:
    """System administrators import anything; an agency administrator, for their own agency."""
    if getattr(user, "is_superuser", False) or user_has_role(user, "system_admin"):
        return True
    return agency is not None and user_has_role(user, "agency_admin", agency.code)
