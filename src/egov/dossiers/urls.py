from django.urls import URLPattern, URLResolver

app_name = "dossiers"

urlpatterns: list[URLPattern | URLResolver] = []
