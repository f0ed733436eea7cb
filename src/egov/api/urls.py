"""/api/: version 1 composed from every app's `api.urls`, the OpenAPI schema and its docs."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

app_name = "api"

v1 = [
    path("", include("egov.accounts.api.urls")),
    path("", include("egov.orgs.api.urls")),
    path("", include("egov.workcalendar.api.urls")),
    path("", include("egov.signatures.api.urls")),
    path("", include("egov.notifications.api.urls")),
    path("", include("egov.procedures.api.urls")),
    path("", include("egov.documents.api.urls")),
    path("", include("egov.dossiers.api.urls")),
]

urlpatterns = [
    path("v1/", include(v1)),
    path(
        "schema/",
        login_not_required(SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[])),
        name="schema",
    ),
    path(
        "docs/",
        login_not_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", permission_classes=[AllowAny], authentication_classes=[]
            )
        ),
        name="docs",
    ),
]
