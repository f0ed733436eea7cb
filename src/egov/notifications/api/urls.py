from django.urls import URLPattern, URLResolver, path

from egov.notifications.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("notifications/", views.NotificationListApi.as_view(), name="notifications-list"),
    path("notifications/unread-count/", views.NotificationUnreadCountApi.as_view(), name="notifications-unread-count"),
    path("notifications/read/", views.NotificationReadAllApi.as_view(), name="notifications-read-all"),
    path("notifications/<int:notification_id>/read/", views.NotificationReadApi.as_view(), name="notifications-read"),
]
