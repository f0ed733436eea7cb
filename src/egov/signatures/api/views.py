"""HTTP API: public verification, signing for staff, the certificate registry."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.common.errors import CommonErrorCode, EgovError, PermissionDenied
from egov.orgs.selectors import memberships_for_user, user_has_role
from egov.signatures import pades, selectors, services
from egov.signatures.api.serializers import (
    CertificateListQuery,
    CertificateOutput,
    SignInput,
    VerifyInput,
    VerifyOutput,
)
from egov.signatures.errors import SignaturesErrorCode
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
