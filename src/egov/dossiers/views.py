"""Back-office pages under /mot-cua/ (private: staff of the centres and agencies) and the public
lookup by code (/mot-cua/tra-cuu/)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.common.errors import EgovError
from egov.dossiers import printing, selectors, services
from egov.dossiers import statistics as stats
from egov.dossiers.errors import DossiersErrorCode as Code
from egov.dossiers.lifecycle import Action, State
from egov.dossiers.models import ChannelKind
from egov.dossiers.services import Applicant, FileInput
from egov.orgs import selectors as orgs
from egov.procedures import selectors as procedures


def _staff_only(request: HttpRequest) -> None:
    if not selectors.user_can_see_statistics(request.user):
        raise DjangoPermissionDenied


def home(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    counts = selectors.queue_counts(user=request.user)
    queues = [(q, selectors.QUEUE_LABELS[q], counts[q]) for q in selectors.QUEUES]
    return render(request, "dossiers/home.html", {"queues": queues})


def queue(request: HttpRequest, name: str) -> HttpResponse:
    _staff_only(request)
    if name not in selectors.QUEUES:
        raise Http404
    rows = list(selectors.dossier_queue(user=request.user, queue=name)[:200])
    specialists: list[Any] = []
    if name == "to_assign" and rows:
        agency = rows[0].processing_agency
        ids = [m.user_id for m in orgs.memberships_for_agency(agency) if "specialist" in m.roles]
        specialists = list(get_user_model().objects.filter(pk__in=ids).order_by("username"))
    return render(request, "dossiers/queue.html",
                  {"name": name, "label": selectors.QUEUE_LABELS[name], "rows": rows, "specialists": specialists,
                   "now": timezone.now()})  # fmt: skip


@require_POST
def assign_bulk(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    assignee = get_user_model().objects.filter(username=request.POST.get("assignee", "")).first()
    try:
        done = services.dossier_assign_bulk(actor=request.user, codes=request.POST.getlist("codes"), assignee=assignee)
        messages.success(request, _("%(n)s dossier(s) assigned.") % {"n": len(done)})
    except EgovError as error:
        messages.error(request, error.localized())
    return redirect("dossiers:queue", name="to_assign")


def _dossier(request: HttpRequest, code: str) -> Any:
    try:
        return selectors.dossier_get_for_user(user=request.user, code=code)
    except EgovError as error:
        raise Http404 from error


def detail(request: HttpRequest, code: str) -> HttpResponse:
    d = _dossier(request, code)
    actions = [(a, Action(a).label) for a in selectors.allowed_actions(d, request.user)]
    specialists: list[Any] = []
    if "assign" in dict(actions):
        ids = [m.user_id for m in orgs.memberships_for_agency(d.processing_agency) if "specialist" in m.roles]
        specialists = list(get_user_model().objects.filter(pk__in=ids).order_by("username"))
    forms = selectors.dossier_forms_available(d, request.user)
    context = {
        "d": d,
        "actions": actions,
        "specialists": specialists,
        "events": [(e, selectors.event_label(e.action)) for e in selectors.dossier_history(d)],
        "steps": d.steps.select_related("agency", "handled_by").order_by("started_at", "id"),
        "files": d.files.select_related("component").order_by("id"),
        "apologies": d.apologies.select_related("agency_at_fault"),
        "forms": forms,
        "can_apologise": orgs.user_has_role(request.user, "leader", d.processing_agency)
        or orgs.user_has_role(request.user, "one_stop_officer", d.receiving_centre),
        "state_label": State(d.status).label,
    }
    return render(request, "dossiers/detail.html", context)


@require_POST
def act(request: HttpRequest, code: str) -> HttpResponse:
    d = _dossier(request, code)
    assignee = None
    if request.POST.get("assignee"):
        assignee = get_user_model().objects.filter(username=request.POST["assignee"]).first()
    result = request.FILES.get("result")
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = None
    try:
        services.dossier_act(
            actor=request.user,
            code=d.code,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
            assignee=assignee,
            result=FileInput("", result.name or "", result.read()) if result else None,
            expected_revision=revision,
        )
        messages.success(request, _("Done."))
    except EgovError as error:
        messages.error(request, error.localized())
    return redirect("dossiers:detail", code=d.code)


@require_POST
def apologise(request: HttpRequest, code: str) -> HttpResponse:
    d = _dossier(request, code)
    raw = request.POST.get("new_due_at", "")
    moment = parse_datetime(raw) if raw else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        if moment is None:
            raise EgovError(Code.APOLOGY_DATE, gettext_lazy("Give the new appointment."), field="new_due_at")
        services.dossier_apologise(actor=request.user, code=d.code, reason=request.POST.get("reason", ""),
                                   new_due_at=moment)  # fmt: skip
        messages.success(request, _("The apology and new appointment are recorded."))
    except EgovError as error:
        messages.error(request, error.localized())
    return redirect("dossiers:detail", code=d.code)


def form_pdf(request: HttpRequest, code: str, form: str) -> HttpResponse:
    d = _dossier(request, code)
    try:
        sealed = selectors.dossier_form_pdf(d=d, form=form, user=request.user)
    except EgovError as error:
        raise Http404 from error
    response = HttpResponse(sealed.data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{d.code}-{form}.pdf"'
    return response


def _field_inputs(version: Any) -> list[dict[str, Any]]:
    schema = version.eform_schema or {}
    required = set(schema.get("required") or [])
    out = []
    for name, spec in (schema.get("properties") or {}).items():
        out.append({"name": name, "title": spec.get("title", name), "type": spec.get("type", "string"),
                    "enum": spec.get("enum") or [], "format": spec.get("format", ""), "required": name in required})  # fmt: skip
    return out


def counter(request: HttpRequest) -> HttpResponse:
    """Counter reception of a walk-in dossier (channel counter or post)."""
    _staff_only(request)
    code = (request.GET.get("procedure") or request.POST.get("procedure") or "").strip()
    version = procedures.procedure_version_in_force(code) if code else None
    context: dict[str, Any] = {"procedure": code, "version": version, "channels": ChannelKind.choices[1:]}
    if version is not None:
        context["fields"] = _field_inputs(version)
        context["components"] = list(version.components.all())
        context["agencies"] = [r.agency for r in version.agency_roles.all() if r.role == "implementing"]
    if request.method == "POST" and version is not None:
        eform: dict[str, Any] = {}
        for item in context["fields"]:
            value = request.POST.get(f"f_{item['name']}", "").strip()
            if value == "":
                continue
            if item["type"] == "integer":
                try:
                    eform[item["name"]] = int(value)
                except ValueError:
                    eform[item["name"]] = value
            else:
                eform[item["name"]] = value
        files = [
            FileInput(c.code, upload.name or "", upload.read())
            for c in context["components"]
            for upload in request.FILES.getlist(f"file_{c.code}")
        ]
        applicant = Applicant(
            name=request.POST.get("applicant_name", ""),
            national_id=request.POST.get("applicant_national_id", ""),
            phone=request.POST.get("applicant_phone", ""),
            address=request.POST.get("applicant_address", ""),
            organisation_name=request.POST.get("organisation_name", ""),
        )
        centres = [m.agency_code for m in orgs.memberships_for_user(request.user) if "one_stop_officer" in m.roles]
        try:
            d, _created = services.dossier_submit(
                actor=request.user,
                procedure=code,
                channel=request.POST.get("channel", ChannelKind.COUNTER),
                eform=eform,
                files=files,
                applicant=applicant,
                agency=request.POST.get("agency", ""),
                centre=centres[0] if centres else "",
                idempotency_key=request.POST.get("idempotency_key", ""),
            )
        except EgovError as error:
            context["error"] = error.localized()
            context["posted"] = request.POST
            return render(request, "dossiers/counter.html", context, status=400)
        messages.success(request, _("Dossier %(code)s received.") % {"code": d.code})
        return redirect("dossiers:detail", code=d.code)
    return render(request, "dossiers/counter.html", context)


@login_not_required
def lookup(request: HttpRequest) -> HttpResponse:
    code = (request.GET.get("ma") or "").strip()[:40]
    status = None
    not_found = False
    if code:
        try:
            status = selectors.dossier_public_lookup(code)
        except EgovError:
            not_found = True
    return render(request, "dossiers/lookup.html", {"code": code, "status": status, "not_found": not_found})


def _period(request: HttpRequest) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    start = parse_date(request.GET.get("from", "") or "") or today.replace(month=1, day=1)
    end = parse_date(request.GET.get("to", "") or "") or today
    return start, end


def _statistics_options(scope: stats.StatsScope) -> dict[str, Any]:
    """The filter choices: agencies in the caller's scope, fields and procedures in force today."""
    agencies = [(a.code, a.name_vi) for a in orgs.agency_list(in_force_on=timezone.localdate()) if scope.allows(a.code)]
    fields = [(f.code, f.name_vi) for f in procedures.procedure_field_list()]
    catalogue = [(v.procedure.code, v.name_vi) for v in procedures.procedure_search()[:3000]]
    return {"agency_options": agencies, "field_options": fields, "procedure_options": catalogue}


def statistics(request: HttpRequest) -> HttpResponse:
    """The dashboard: period picker and filters, the summary, the grouped table, three inline SVG
    charts (each with its numbers in a table) and the Excel export of the grouped table."""
    scope = stats.statistics_scope(request.user)
    if scope is None:
        raise DjangoPermissionDenied
    q = request.GET
    today = timezone.localdate()
    kind = q.get("kind", "") or ("custom" if q.get("from") or q.get("to") else "year")
    key = q.get("period", "") or stats.period_key(kind, q.get("year", "") or str(today.year), q.get("number", ""))
    group_by = q.get("group_by", "agency")
    context: dict[str, Any] = {
        "q": q,
        "kind": kind,
        "kinds": stats.period_kind_choices(),
        "years": list(range(today.year, stats.MIN_YEAR + 15, -1)),
        "group_by": group_by,
        "year_selected": q.get("year", "") or str(today.year),
        "groupings": [(str(g), label) for g, label in stats.GROUP_LABELS.items()],
        "columns": stats.COLUMNS,
        "table": None,
        **_statistics_options(scope),
    }
    try:
        table = stats.statistics_request(
            user=request.user,
            period=key,
            date_from=q.get("from", "") if not key else "",
            date_to=q.get("to", "") if not key else "",
            agency=q.get("agency", ""),
            centre=q.get("centre", ""),
            procedure=q.get("procedure", ""),
            field=q.get("field", ""),
            group_by=group_by,
        )
    except EgovError as error:
        if error.status_code == 403:
            raise DjangoPermissionDenied from error
        context["error"] = error.localized()
        return render(request, "dossiers/statistics.html", context, status=400)
    if q.get("format") == "xlsx":
        response = HttpResponse(
            stats.statistics_xlsx(table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"thong-ke-ho-so-{table.period.key.replace('..', '_')}-{table.group_by or 'tong'}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    year = table.period.year or table.period.date_to.year
    months = stats.received_by_month(year=year, scope=scope, filters=table.filters)
    by_agency = (
        table.rows
        if table.group_by == stats.GroupBy.AGENCY
        else stats.statistics_table(period=table.period, scope=scope, filters=table.filters,
                                    group_by=stats.GroupBy.AGENCY, now=table.generated_at).rows
    )  # fmt: skip
    export = q.copy()
    export["format"] = "xlsx"
    context.update(
        table=table,
        group_label=stats.GROUP_LABELS[table.group_by] if table.group_by else "",
        year=year,
        months=[{**m, "total": sum(m[k] for k in ChannelKind.values)} for m in months],
        by_agency=[r for r in by_agency if r["finished"]],
        charts=[
            stats.chart_received_by_month(months, year),
            stats.chart_timeliness(table.total),
            stats.chart_on_time_by_agency(by_agency),
        ],
        export_query=export.urlencode(),
        table_rows=[(r["key"], r["name"], [r[k] for k, _label in stats.COLUMNS]) for r in table.rows],
        total_cells=[table.total[k] for k, _label in stats.COLUMNS],
    )
    return render(request, "dossiers/statistics.html", context)


def book(request: HttpRequest) -> HttpResponse:
    """Form 06, the tracking book of the user's centre for a period."""
    _staff_only(request)
    start, end = _period(request)
    centres = [
        m for m in orgs.memberships_for_user(request.user) if "one_stop_officer" in m.roles or "leader" in m.roles
    ]
    if not centres:
        raise DjangoPermissionDenied
    centre = orgs.agency_find(centres[0].agency_code)
    if centre is None:
        raise DjangoPermissionDenied
    rows = selectors.tracking_book(centre_id=centre.pk, date_from=start, date_to=end)
    sealed = printing.book_pdf(centre=centre, date_from=start, date_to=end, rows=rows)
    response = HttpResponse(sealed.data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-theo-doi-{start}-{end}.pdf"'
    return response
