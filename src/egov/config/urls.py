from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from egov.common import views as ops

admin.site.site_header = "egov — Quản trị hệ thống / Administration"
admin.site.site_title = "egov"

urlpatterns = [
    path("", include("egov.portal.urls")),
    path("accounts/", include("allauth.urls")),
    path("xac-thuc/", include("egov.signatures.urls")),
    path("thu-tuc/", include("egov.procedures.urls")),
    path("van-ban/", include("egov.documents.urls")),
    path("mot-cua/", include("egov.dossiers.urls")),
    path("thong-bao/", include("egov.notifications.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("egov.api.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", ops.healthz, name="healthz"),
    path("metrics", ops.metrics, name="metrics"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "egov.common.views.permission_denied"
handler404 = "egov.common.views.page_not_found"
handler500 = "egov.common.views.server_error"
