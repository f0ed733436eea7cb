from django.urls import URLPattern, URLResolver, path

from egov.portal import views

app_name = "portal"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
    path("ho-so-cua-toi/", views.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/<str:code>/", views.my_dossier, name="my_dossier"),
    path("ho-so-cua-toi/<str:code>/rut-ho-so/", views.my_dossier_withdraw, name="my_dossier_withdraw"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", views.my_dossier_supplement, name="my_dossier_supplement"),
    path("ho-so-cua-toi/<str:code>/tep/<int:file_id>/", views.my_dossier_file, name="my_dossier_file"),
    path("ho-so-cua-toi/<str:code>/phieu/<slug:slug>.pdf", views.my_dossier_form, name="my_dossier_form"),
]
