from django.urls import URLPattern, URLResolver, path

from egov.accounts.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", views.TokenApi.as_view(), name="auth-token"),
    path("auth/tokens/", views.ApiTokenListApi.as_view(), name="auth-tokens"),
    path("auth/tokens/<int:token_id>/", views.ApiTokenRevokeApi.as_view(), name="auth-token-revoke"),
]
