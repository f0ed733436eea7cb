"""Public catalogue pages (no login): search with filters, one procedure (printable), blank forms."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from egov.common.errors import EgovError
from egov.procedures import selectors
from egov.procedures.models import (
    AgencyRole,
    DossierComponent,
    Level,
    ProcedureCase,
    ProcessStep,
    Status,
    VersionAgency,
)

PAGE_SIZE = 20


@login_not_required
def catalogue(request: HttpRequest) -> HttpResponse:
    q = request.GET
    filters = {
        "search": q.get("q", "")[:500],
        "agency": q.get("agency", "")[:40],
        "field": q.get("field", "")[:40],
        "level": q.get("level", "") if q.get("level", "") in Level.values else "",
        "service_level": q.get("service_level", "")[:30],
    }
    results = selectors.procedure_search(
        search=filters["search"] or None,
        agency=filters["agency"] or None,
        field=filters["field"] or None,
        level=filters["level"] or None,
        service_level=filters["service_level"] or None,
    )
    page = Paginator(results, PAGE_SIZE).get_page(q.get("page"))
    agencies = (
        VersionAgency.objects.filter(role=AgencyRole.IMPLEMENTING)
        .exclude(version__status=Status.DRAFT)
        .values_list("agency__code", "agency__name_vi")
        .distinct()
        .order_by("agency__code")
    )
    query = q.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "fields": selectors.procedure_field_list(),
        "levels": Level.choices,
        "service_levels": selectors.service_level_list(),
        "agencies": agencies,
        "query": query.urlencode(),
    }
    return render(request, "procedures/catalogue.html", context)


@login_not_required
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        version = selectors.procedure_get(code)
    except EgovError:
        raise Http404 from None
    cases = list(version.cases.all())
    steps_by_case: list[tuple[ProcedureCase | None, list[ProcessStep]]] = [
        (case, [s for s in version.steps.all() if s.case_id in (None, case.pk)]) for case in cases
    ] or [(None, list(version.steps.all()))]
    return render(
        request,
        "procedures/detail.html",
        {"v": version, "cases": cases, "steps_by_case": steps_by_case},
    )


@login_not_required
def blank_form(request: HttpRequest, pk: int) -> FileResponse:
    component = get_object_or_404(DossierComponent.objects.exclude(version__status=Status.DRAFT), pk=pk)
    if not component.form_file:
        raise Http404
    try:
        handle = component.form_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    name = component.form_file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)
