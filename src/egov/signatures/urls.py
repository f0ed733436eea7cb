from django.urls import URLPattern, URLResolver, path

from egov.signatures import views

app_name = "signatures"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.verify_page, name="verify"),
]
