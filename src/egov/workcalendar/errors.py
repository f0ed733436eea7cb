"""Stable error codes of the working calendar (`workcalendar.<what>`)."""

from egov.common.errors import ErrorCode


class WorkcalendarErrorCode(ErrorCode):
    INVALID_DATE = "workcalendar.invalid_date"
    INVALID_TIME = "workcalendar.invalid_time"
    INVALID_NUMBER = "workcalendar.invalid_number"
    MISSING_PARAMETER = "workcalendar.missing_parameter"
    DATE_OUT_OF_RANGE = "workcalendar.date_out_of_range"
    INVALID_KIND = "workcalendar.invalid_kind"
    NAME_REQUIRED = "workcalendar.name_required"
    TEXT_TOO_LONG = "workcalendar.text_too_long"
    MAKE_UP_DAY_NOT_WEEKEND = "workcalendar.make_up_day_not_weekend"
    ALREADY_WORKING = "workcalendar.already_working"
    DAY_OFF_NOT_WORKING = "workcalendar.day_off_not_working"
    EXCEPTION_EXISTS = "workcalendar.exception_exists"
    EXCEPTION_NOT_FOUND = "workcalendar.exception_not_found"
    INVALID_SCHEDULE = "workcalendar.invalid_schedule"
    SCHEDULE_NOT_FOUND = "workcalendar.schedule_not_found"
