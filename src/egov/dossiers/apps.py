from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "egov.dossiers"
    label = "dossiers"
    verbose_name = _("One-stop dossiers")

    def ready(self) -> None:
        from egov.dossiers import tasks  # noqa: F401  (registers the periodic deadline sweeps)
