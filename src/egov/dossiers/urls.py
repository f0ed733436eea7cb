from django.urls import URLPattern, URLResolver, path

from egov.dossiers import views

app_name = "dossiers"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tiep-nhan/", views.counter, name="counter"),
    path("thong-ke/", views.statistics, name="statistics"),
    path("so-theo-doi.pdf", views.book, name="book"),
    path("phan-cong/", views.assign_bulk, name="assign_bulk"),
    path("hang-doi/<str:name>/", views.queue, name="queue"),
    path("ho-so/<str:code>/", views.detail, name="detail"),
    path("ho-so/<str:code>/hanh-dong/", views.act, name="act"),
    path("ho-so/<str:code>/xin-loi/", views.apologise, name="apologise"),
    path("ho-so/<str:code>/mau/<str:form>.pdf", views.form_pdf, name="form_pdf"),
]
