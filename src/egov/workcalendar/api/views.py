"""HTTP API of the working calendar: public read-only computations, and the exceptions table
for staff holding the Django model permissions."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.common.api import Pagination
from egov.workcalendar import selectors, services
from egov.workcalendar.api.serializers import (
    CalendarExceptionInput,
    CalendarExceptionOutput,
    CalendarExceptionPageOutput,
    DaysOffOutput,
    DeadlineOutput,
    WorkingDaysBetweenOutput,
    parse_cutoff,
    parse_date_value,
    parse_datetime_param,
    parse_days,
    parse_hours,
    parse_year,
)
from egov.workcalendar.calendar import TZ, Deadline

ERROR = OpenApiResponse(description="Error body: code, message, messages {vi, en}, field")
START = OpenApiParameter(
    "start",
    str,
    required=True,
    description="ISO 8601 date-time (encode “+” as %2B); without an offset it is Asia/Ho_Chi_Minh time",
)
CUTOFF = OpenApiParameter(
    "cutoff", str, required=False, description="HH:MM; a start after it on a working day counts from the next one"
)


class _CalendarApi(APIView):
    # base of the calendar endpoints; anonymous callers get 401 from the Bearer authenticator
    pass


class _ModelPermission(BasePermission):
    """The Django model permission `perm` (superusers have them all)."""

    perm = ""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(self.perm))


class CanViewExceptions(_ModelPermission):
    perm = "workcalendar.view_calendarexception"


class CanAddExceptions(_ModelPermission):
    perm = "workcalendar.add_calendarexception"


class CanDeleteExceptions(_ModelPermission):
    perm = "workcalendar.delete_calendarexception"


def _deadline_body(deadline: Deadline) -> dict[str, Any]:
    return {"due": deadline.due.astimezone(TZ).isoformat(), "calendar_version": deadline.calendar_version}


class CalendarDaysOffApi(_CalendarApi):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="calendar_days_off",
        summary="Days off of a year (holidays, observed and swapped days, extra days off) and make-up working weekend days",
        parameters=[OpenApiParameter("year", int, required=False, description="default: the current year")],
        responses={200: DaysOffOutput, 400: ERROR},
    )
    def get(self, request: Request) -> Response:
        year = parse_year(request.query_params, default=timezone.localdate(timezone=TZ).year)
        calendar = selectors.calendar_get()
        body = {
            "year": year,
            "calendar_version": calendar.version,
            "days": calendar.days_off(year),
            "working_weekend_days": calendar.working_weekend_days(year),
        }
        return Response(DaysOffOutput(body).data)


class CalendarAddWorkingDaysApi(_CalendarApi):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="calendar_add_working_days",
        summary="The same clock time on the N-th working day after the start",
        parameters=[START, OpenApiParameter("days", int, required=True), CUTOFF],
        responses={200: DeadlineOutput, 400: ERROR},
    )
    def get(self, request: Request) -> Response:
        start = parse_datetime_param(request.query_params, "start")
        days = parse_days(request.query_params)
        cutoff = parse_cutoff(request.query_params)
        return Response(_deadline_body(selectors.calendar_get().add_working_days(start, days, cutoff=cutoff)))


class CalendarAddWorkingHoursApi(_CalendarApi):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="calendar_add_working_hours",
        summary="The instant when N office hours have passed (lunch break and days off skipped)",
        parameters=[START, OpenApiParameter("hours", float, required=True), CUTOFF],
        responses={200: DeadlineOutput, 400: ERROR},
    )
    def get(self, request: Request) -> Response:
        start = parse_datetime_param(request.query_params, "start")
        hours = parse_hours(request.query_params)
        cutoff = parse_cutoff(request.query_params)
        return Response(_deadline_body(selectors.calendar_get().add_working_hours(start, hours, cutoff=cutoff)))


class CalendarWorkingDaysBetweenApi(_CalendarApi):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="calendar_working_days_between",
        summary="Working days after the start day up to and including the end day (negative if the end is first)",
        parameters=[START, OpenApiParameter("end", str, required=True, description="ISO 8601 date or date-time")],
        responses={200: WorkingDaysBetweenOutput, 400: ERROR},
    )
    def get(self, request: Request) -> Response:
        start = parse_datetime_param(request.query_params, "start")
        end = parse_datetime_param(request.query_params, "end")
        calendar = selectors.calendar_get()
        return Response({"working_days": calendar.count_working_days(start, end), "calendar_version": calendar.version})


class CalendarExceptionListApi(_CalendarApi):
    def get_permissions(self) -> list[BasePermission]:
        needed = CanAddExceptions if self.request.method == "POST" else CanViewExceptions
        return [IsAuthenticated(), needed()]

    @extend_schema(
        operation_id="calendar_exception_list",
        summary="The province's exceptions table (extra days off, make-up working days)",
        parameters=[OpenApiParameter("year", int, required=False)],
        responses={200: CalendarExceptionPageOutput, 400: ERROR, 401: ERROR, 403: ERROR},
    )
    def get(self, request: Request) -> Response:
        year = parse_year(request.query_params, default=0) or None
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.calendar_exception_list(year=year), request, view=self)
        return paginator.get_paginated_response(CalendarExceptionOutput(page, many=True).data)

    @extend_schema(
        operation_id="calendar_exception_add",
        summary="Declare an extra day off or a make-up working day",
        request=CalendarExceptionInput,
        responses={201: CalendarExceptionOutput, 400: ERROR, 401: ERROR, 403: ERROR},
    )
    def post(self, request: Request) -> Response:
        data = request.data if hasattr(request.data, "get") else {}
        day = parse_date_value(str(data.get("date") or ""), "date")
        item = services.calendar_exception_add(
            actor=request.user,
            date=day,
            kind=str(data.get("kind") or ""),
            name_vi=str(data.get("name_vi") or ""),
            name_en=str(data.get("name_en") or ""),
            source=str(data.get("source") or ""),
        )
        return Response(CalendarExceptionOutput(item).data, status=status.HTTP_201_CREATED)


class CalendarExceptionDeleteApi(_CalendarApi):
    permission_classes = [IsAuthenticated, CanDeleteExceptions]

    @extend_schema(
        operation_id="calendar_exception_remove",
        summary="Remove an exception",
        responses={204: None, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR},
    )
    def delete(self, request: Request, day: str) -> Response:
        services.calendar_exception_remove(actor=request.user, date=parse_date_value(day, "date"))
        return Response(status=status.HTTP_204_NO_CONTENT)
