"""`egov calendar days-off --year 2027`, `egov calendar add-exception ...`, `egov calendar
remove-exception --date ...`: the working calendar from the console (changes are audited with
no actor, i.e. the system)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from egov.common.errors import EgovError
from egov.workcalendar import selectors, services
from egov.workcalendar.calendar import TZ


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ / Not a valid date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Working calendar: list days off, declare or remove an exception (extra day off, make-up working day)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        days_off = sub.add_parser("days-off", help="list the days off and make-up working days of a year")
        days_off.add_argument("--year", type=int, default=None)
        add = sub.add_parser("add-exception", help="declare an extra day off or a make-up working day")
        add.add_argument("--date", required=True, type=_date)
        add.add_argument("--kind", required=True, choices=["day_off", "working_day"])
        add.add_argument("--name-vi", required=True)
        add.add_argument("--name-en", default="")
        add.add_argument("--source", default="")
        remove = sub.add_parser("remove-exception", help="remove an exception")
        remove.add_argument("--date", required=True, type=_date)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["subcommand"] == "days-off":
                self._days_off(options["year"] or timezone.localdate(timezone=TZ).year)
            elif options["subcommand"] == "add-exception":
                item = services.calendar_exception_add(
                    actor=None,
                    date=options["date"],
                    kind=options["kind"],
                    name_vi=options["name_vi"],
                    name_en=options["name_en"],
                    source=options["source"],
                )
                self.stdout.write(f"{item.date.isoformat()} {item.kind} — {selectors.calendar_version()}")
            else:
                services.calendar_exception_remove(actor=None, date=options["date"])
                self.stdout.write(f"{options['date'].isoformat()} — {selectors.calendar_version()}")
        except EgovError as error:
            messages = error.messages
            raise CommandError(f"{messages['vi']} / {messages['en']}") from None

    def _days_off(self, year: int) -> None:
        calendar = selectors.calendar_get()
        self.stdout.write(f"# {year} — calendar {calendar.version}")
        for day in calendar.days_off(year):
            self.stdout.write(f"{day.date.isoformat()} {day.date:%a} {day.kind:<11} {day.name_vi} / {day.name_en}")
        for working in calendar.working_weekend_days(year):
            self.stdout.write(
                f"{working.date.isoformat()} {working.date:%a} working     {working.name_vi} / {working.name_en}"
            )
