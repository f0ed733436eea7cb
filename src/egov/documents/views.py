"""Staff web pages under /van-ban/: lists (inboxes by role), the document page, registering an
incoming document (clerk) and assigning it (leader). Thin: forms call the same services as the API."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from egov.common.errors import EgovError
from egov.documents import selectors
from egov.documents.api.views import run_action
from egov.documents.models import AssignmentRole, Direction, Status
from egov.orgs.models import Role, Unit
from egov.orgs.selectors import memberships_for_agency, user_roles


def document_list(request: HttpRequest) -> HttpResponse:
    direction = request.GET.get("direction") or Direction.INCOMING
    docs = selectors.document_search(
        request.user,
        direction=direction,
        q=request.GET.get("q"),
        status=request.GET.get("status") or None,
        due=request.GET.get("due") or None,
    ).order_by("-created_at", "-id")[:200]
    context = {
        "documents": docs,
        "direction": direction,
        "q": request.GET.get("q", ""),
        "inbox": {k: v.count() for k, v in selectors.inbox_for_user(request.user).items()},
    }
    template = "documents/_rows.html" if request.headers.get("HX-Request") else "documents/list.html"
    return render(request, template, context)


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.document_get_for_user(request.user, pk)
    if request.method == "POST":
        values: dict[str, Any] = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "action")}
        values["coordinating_units"] = [int(u) for u in request.POST.getlist("coordinating_units") if u.isdigit()]
        for key in ("lead_unit", "days", "handler", "present_to"):
            values[key] = int(values[key]) if str(values.get(key, "")).isdigit() else None
        if values.get("deadline"):
            try:
                values["deadline"] = datetime.date.fromisoformat(values["deadline"])
            except ValueError:
                values["deadline"] = None
        try:
            run_action(request.user, doc, request.POST.get("action", ""), values)
        except EgovError as error:
            messages.error(request, error.localized())
        else:
            messages.success(request, _("Done."))
        return redirect("documents:detail", pk=doc.pk)
    roles = user_roles(request.user, doc.owner_agency)
    context = {
        "doc": doc,
        "is_clerk": Role.CLERK in roles,
        "is_leader": Role.LEADER in roles,
        "units": Unit.objects.filter(agency=doc.owner_agency, active=True).order_by("name_vi"),
        "staff": memberships_for_agency(doc.owner_agency),
        "leaders": [m for m in memberships_for_agency(doc.owner_agency) if Role.LEADER in m.roles],
        "assignments": doc.assignments.select_related("unit", "handler"),
        "events": doc.status_events.all(),
        "recipients": selectors.delivery_ledger(doc),
        "files": doc.files.all(),
        "Status": Status,
        "AssignmentRole": AssignmentRole,
    }
    return render(request, "documents/detail.html", context)
