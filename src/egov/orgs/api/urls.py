from django.urls import URLPattern, URLResolver, path

from egov.orgs.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("agencies/", views.AgencyCollectionApi.as_view(), name="orgs-agencies"),
    path("agencies/<str:code>/", views.AgencyItemApi.as_view(), name="orgs-agency"),
    path("agencies/<str:code>/close/", views.AgencyCloseApi.as_view(), name="orgs-agency-close"),
    path("agencies/<str:code>/memberships/", views.AgencyMembershipListApi.as_view(), name="orgs-agency-memberships"),
    path("me/", views.MeApi.as_view(), name="orgs-me"),
]
