"""The public page "Xác thực văn bản điện tử": upload a PDF, see who signed and whether it holds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from egov.signatures.validation import validate_pdf

MAX_BYTES = 20 * 1024 * 1024


@login_not_required
def verify_page(request: HttpRequest) -> HttpResponse:
    report = None
    too_large = False
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        assert not isinstance(upload, list)
        if upload.size and upload.size > MAX_BYTES:
            too_large = True
        else:
            report = validate_pdf(upload.read())
    return render(request, "signatures/verify.html", {"report": report, "too_large": too_large})
