from django.urls import URLPattern, URLResolver, path

from egov.workcalendar.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("calendar/days-off/", views.CalendarDaysOffApi.as_view(), name="calendar-days-off"),
    path("calendar/add-working-days/", views.CalendarAddWorkingDaysApi.as_view(), name="calendar-add-working-days"),
    path("calendar/add-working-hours/", views.CalendarAddWorkingHoursApi.as_view(), name="calendar-add-working-hours"),
    path(
        "calendar/working-days-between/",
        views.CalendarWorkingDaysBetweenApi.as_view(),
        name="calendar-working-days-between",
    ),
    path("calendar/exceptions/", views.CalendarExceptionListApi.as_view(), name="calendar-exception-list"),
    path(
        "calendar/exceptions/<str:day>/",
        views.CalendarExceptionDeleteApi.as_view(),
        name="calendar-exception-delete",
    ),
]
