from django.urls import URLPattern, URLResolver, path

from egov.notifications import views

app_name = "notifications"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.notification_list, name="list"),
    path("da-doc/", views.notification_read_all, name="read_all"),
    path("<int:notification_id>/da-doc/", views.notification_read, name="read"),
]
