from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "egov.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from egov.notifications import tasks  # noqa: F401  (registers the periodic retry)
