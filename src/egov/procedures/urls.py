from django.urls import URLPattern, URLResolver, path

from egov.procedures import views

app_name = "procedures"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.catalogue, name="catalogue"),
    path("mau/<int:pk>/", views.blank_form, name="form"),
    path("<str:code>/", views.procedure_detail, name="detail"),
]
