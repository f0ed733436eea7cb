"""/thong-bao/: the user's own notifications, mark one or all read (private pages)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from egov.common.errors import EgovError
from egov.notifications import selectors, services
from egov.notifications.messages import KINDS


def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("chua-doc") == "1"
    qs = selectors.notification_list_for_user(user=request.user, unread_only=unread_only)
    page = Paginator(qs, 30).get_page(request.GET.get("trang"))
    rows = [(n, KINDS.get(n.kind, n.kind)) for n in page.object_list]
    return render(
        request,
        "notifications/list.html",
        {"page": page, "rows": rows, "unread_only": unread_only, "unread": selectors.unread_count(user=request.user)},
    )


@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        item = services.notification_mark_read(actor=request.user, notification_id=notification_id)
    except EgovError as error:
        raise Http404 from error
    if request.POST.get("open") == "1" and item.link and url_has_allowed_host_and_scheme(item.link, allowed_hosts=None):
        return redirect(item.link)
    return redirect("notifications:list")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notification_mark_all_read(actor=request.user)
    return redirect("notifications:list")
