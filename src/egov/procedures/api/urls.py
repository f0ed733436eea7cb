from django.urls import URLPattern, URLResolver, path

from egov.procedures.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("procedures/", views.ProcedureListApi.as_view(), name="procedures-list"),
    path("procedures/<str:code>/", views.ProcedureDetailApi.as_view(), name="procedures-detail"),
    path("procedure-fields/", views.ProcedureFieldListApi.as_view(), name="procedure-fields"),
]
