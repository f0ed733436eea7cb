from django.urls import URLPattern, URLResolver

app_name = "procedures"

urlpatterns: list[URLPattern | URLResolver] = []
