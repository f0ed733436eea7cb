from django.urls import URLPattern, URLResolver, path

from egov.documents.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("documents/outgoing/", views.OutgoingDocumentListApi.as_view(), name="documents-outgoing"),
    path("documents/incoming/", views.IncomingDocumentListApi.as_view(), name="documents-incoming"),
    path("documents/<int:pk>/", views.DocumentDetailApi.as_view(), name="documents-detail"),
    path("documents/<int:pk>/actions/", views.DocumentActionApi.as_view(), name="documents-actions"),
    path("documents/registers/<str:kind>/", views.DocumentRegisterApi.as_view(), name="documents-register"),
    path(
        "documents/registers/<str:kind>.xlsx",
        views.DocumentRegisterApi.as_view(),
        {"fmt": "xlsx"},
        name="documents-register-xlsx",
    ),
    path(
        "documents/registers/<str:kind>.pdf",
        views.DocumentRegisterApi.as_view(),
        {"fmt": "pdf"},
        name="documents-register-pdf",
    ),
    path("documents/file-lists/", views.FileListApi.as_view(), name="documents-file-lists"),
    path("documents/file-lists/<int:pk>/export/", views.FileExportApi.as_view(), name="documents-file-export"),
    path("stats/documents/", views.DocumentStatsApi.as_view(), name="documents-stats"),
]
