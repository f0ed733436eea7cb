from django.urls import URLPattern, URLResolver, path

from egov.signatures.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("signatures/verify/", views.SignatureVerifyApi.as_view(), name="signatures-verify"),
    path("signatures/verify/report/", views.SignatureReportPdfApi.as_view(), name="signatures-verify-report"),
    path("signatures/sign/", views.SignatureSignApi.as_view(), name="signatures-sign"),
    path("certificates/", views.CertificateListApi.as_view(), name="certificates"),
]
