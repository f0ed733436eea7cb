"""The public-service portal: the home page, the staff landing page (ADR 0002) and the citizen's
own dossiers ("Hồ sơ của tôi", /ho-so-cua-toi/): list, dossier page, slips and files to download,
withdrawal and supplement. Views parse, call selectors/services and render."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.common.errors import EgovError
from egov.dossiers import services as dossier_services
from egov.orgs import selectors as orgs
from egov.orgs.models import Role
from egov.portal import selectors


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def workspace(request: HttpRequest) -> HttpResponse:
    """The staff landing page: whom the user works for and in which roles (ADR 0002)."""
    labels = dict(Role.choices)
    memberships = [
        {"info": m, "role_labels": [labels.get(role, role) for role in m.roles]}
        for m in orgs.memberships_for_user(request.user)
    ]
    return render(request, "portal/workspace.html", {"memberships": memberships})


# --- my dossiers ---------------------------------------------------------------------------------


def both_languages(error: EgovError) -> str:
    """An error in Vietnamese and English, whatever the page language."""
    texts = error.messages
    return texts["vi"] if texts["vi"] == texts["en"] else f"{texts['vi']} / {texts['en']}"


def _own(request: HttpRequest, code: str) -> Any:
    try:
        return selectors.my_dossier(user=request.user, code=code)
    except EgovError as error:
        raise Http404 from error


def my_dossiers(request: HttpRequest) -> HttpResponse:
    if selectors.is_staff(request.user):
        return redirect("dossiers:home")
    group = (request.GET.get("nhom") or "").strip()[:30]
    error = ""
    try:
        rows = selectors.my_dossiers(user=request.user, group=group)
    except EgovError as problem:
        error, group = both_languages(problem), ""
        rows = selectors.my_dossiers(user=request.user)
    groups = [(key, str(label)) for key, (label, _codes) in selectors.STATUS_GROUPS.items()]
    context = {"rows": rows, "groups": groups, "group": group, "error": error}
    return render(request, "portal/my_dossiers.html", context, status=400 if error else 200)


def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    if selectors.is_staff(request.user):
        return redirect("dossiers:home")
    d = _own(request, code)
    actions = selectors.applicant_actions(d, request.user)
    results = selectors.result_files(d)
    context = {
        "d": d,
        "status": selectors.status_words(d),
        "timeline": selectors.timeline(d),
        "apologies": selectors.apologies(d),
        "files": selectors.submitted_files(d),
        "result": results[0] if results else None,
        "forms": selectors.forms_available(d, request.user),
        "can_withdraw": "withdraw" in actions,
        "can_supplement": "supplement" in actions,
        "components": selectors.supplement_components(d) if "supplement" in actions else [],
    }
    return render(request, "portal/my_dossier.html", context)


@require_POST
def my_dossier_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    if selectors.is_staff(request.user):
        return redirect("dossiers:home")
    d = _own(request, code)
    try:
        dossier_services.dossier_act(
            actor=request.user,
            code=d.code,
            action="withdraw",
            reason=request.POST.get("reason", ""),
            expected_revision=_revision(request),
        )
        messages.success(request, _("Done: your dossier is updated."))
    except EgovError as error:
        messages.error(request, both_languages(error))
    return redirect("portal:my_dossier", code=d.code)


@require_POST
def my_dossier_supplement(request: HttpRequest, code: str) -> HttpResponse:
    if selectors.is_staff(request.user):
        return redirect("dossiers:home")
    d = _own(request, code)
    files = [
        dossier_services.FileInput(component.code, upload.name or "", upload.read())
        for component in selectors.supplement_components(d)
        for upload in request.FILES.getlist(f"file_{component.code}")
    ]
    try:
        dossier_services.dossier_act(
            actor=request.user,
            code=d.code,
            action="supplement",
            reason=request.POST.get("note", ""),
            files=files,
            expected_revision=_revision(request),
        )
        messages.success(request, _("Done: your dossier is updated."))
    except EgovError as error:
        messages.error(request, both_languages(error))
    return redirect("portal:my_dossier", code=d.code)


def my_dossier_file(request: HttpRequest, code: str, file_id: int) -> HttpResponseBase:
    """A stored file exactly as stored (the sealed result byte for byte), as an attachment."""
    if selectors.is_staff(request.user):
        return redirect("dossiers:home")
    try:
        item = selectors.my_dossier_file(user=request.user, code=code, file_id=file_id)
    except EgovError as error:
        raise Http404 from error
    response = FileResponse(item.content.open("rb"), as_attachment=True, filename=item.name,
                            content_type=item.content_type)  # fmt: skip
    response["Repr-Digest"] = "sha-256=:" + base64.b64encode(bytes.fromhex(item.sha256)).decode() + ":"
    response["X-Signed"] = "true" if item.signed else "false"
    return response


def my_dossier_form(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    """An applicant's slip (forms 01–04), sealed by the receiving centre, as an attachment."""
    if selectors.is_staff(request.user):
        return redirect("dossiers:home")
    d = _own(request, code)
    try:
        data, signed = selectors.form_pdf(d, slug, request.user)
    except EgovError as error:
        raise Http404 from error
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{d.code}-{slug}.pdf"'
    response["Repr-Digest"] = "sha-256=:" + base64.b64encode(hashlib.sha256(data).digest()).decode() + ":"
    response["X-Signed"] = "true" if signed else "false"
    return response


def _revision(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return None
