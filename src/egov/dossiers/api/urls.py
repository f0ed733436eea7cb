from django.urls import URLPattern, URLResolver, path

from egov.dossiers.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("dossiers/", views.DossierListCreateApi.as_view(), name="dossiers-list"),
    path("dossiers/queues/", views.DossierQueueCountsApi.as_view(), name="dossiers-queues"),
    path("dossiers/lookup/<str:code>/", views.DossierLookupApi.as_view(), name="dossiers-lookup"),
    # the public address of the lookup (same view, same answer)
    path("public/dossiers/<str:code>/", views.DossierPublicLookupApi.as_view(), name="dossiers-public-lookup"),
    path("dossiers/<str:code>/", views.DossierDetailApi.as_view(), name="dossiers-detail"),
    path("dossiers/<str:code>/actions/", views.DossierActionApi.as_view(), name="dossiers-actions"),
    path("dossiers/<str:code>/apology/", views.DossierApologyApi.as_view(), name="dossiers-apology"),
    path("dossiers/<str:code>/history/", views.DossierHistoryApi.as_view(), name="dossiers-history"),
    path("dossiers/<str:code>/forms/<str:form>.pdf", views.DossierFormApi.as_view(), name="dossiers-form"),
    path("dossiers/<str:code>/files/<int:file_id>/", views.DossierFileApi.as_view(), name="dossiers-file"),
    path("stats/dossiers/", views.DossierStatsApi.as_view(), name="dossiers-stats"),
]
