from django.urls import URLPattern, URLResolver, path

from egov.documents import views

app_name = "documents"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.document_list, name="list"),
    path("<int:pk>/", views.document_detail, name="detail"),
]
