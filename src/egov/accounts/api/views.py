"""API tokens for programs: obtain (with username, password and, for staff, a TOTP code), list, revoke."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from egov.accounts import selectors, services
from egov.accounts.api.serializers import ApiTokenSerializer, TokenIssuedSerializer, TokenObtainInputSerializer
from egov.accounts.errors import AccountsErrorCode
from egov.accounts.lockout import locked_out_error
from egov.accounts.models import ApiToken, User, UserKind
from egov.common.errors import EgovError, PermissionDenied

ERROR = OpenApiResponse(description="Error body {code, message, messages{vi,en}, field?}")


def _invalid_credentials() -> EgovError:
    return EgovError(
        AccountsErrorCode.INVALID_CREDENTIALS,
        _("The username or password is not correct."),
        status_code=status.HTTP_400_BAD_REQUEST,
    )


class TokenApi(APIView):
    """POST: obtain a token (public, throttled, counted by the login lockout). DELETE: revoke the
    token this request is authenticated with."""

    permission_classes = [AllowAny]
    throttle_scope = "auth_token"

    def _obtaining(self) -> bool:
        # `request` is None while drf-spectacular builds the schema
        return getattr(getattr(self, "request", None), "method", None) == "POST"

    def get_authenticators(self) -> list[BaseAuthentication]:
        if self._obtaining():
            return []
        return super().get_authenticators()

    def get_permissions(self) -> list[BasePermission]:
        if self._obtaining():
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_throttles(self) -> list[BaseThrottle]:
        if self._obtaining():
            return [ScopedRateThrottle()]
        return super().get_throttles()

    @extend_schema(
        operation_id="auth_token_obtain",
        auth=[],
        request=TokenObtainInputSerializer,
        responses={201: TokenIssuedSerializer, 400: ERROR, 403: ERROR, 429: ERROR},
        summary="Obtain an API token / Lấy khóa API",
    )
    def post(self, request: Request) -> Response:
        data = TokenObtainInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username: str = data.validated_data["username"]
        django_request = request._request
        user = authenticate(request=django_request, username=username, password=data.validated_data["password"])
        if getattr(django_request, "axes_locked_out", False):
            raise locked_out_error()
        if user is None:
            raise _invalid_credentials()
        assert isinstance(user, User)
        self._check_second_factor(django_request, user, username, data.validated_data["otp"])
        token, key = services.api_token_issue(actor=user, user=user, name=data.validated_data["name"])
        body = {
            "token": key,
            "token_type": "Bearer",
            "id": token.pk,
            "name": token.name,
            "key_prefix": token.key_prefix,
            "expires_at": token.expires_at,
        }
        return Response(TokenIssuedSerializer(body).data, status=status.HTTP_201_CREATED)

    def _check_second_factor(self, django_request: Any, user: User, username: str, otp: str) -> None:
        authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if authenticator is None:
            if user.kind == UserKind.STAFF and not settings.EGOV_DEMO:
                raise PermissionDenied(
                    AccountsErrorCode.TWO_FACTOR_REQUIRED,
                    _("Staff must set up two-factor authentication before using API tokens."),
                )
            return
        if not otp:
            raise EgovError(
                AccountsErrorCode.OTP_REQUIRED,
                _("This account uses two-factor authentication: give the code from the authenticator app."),
                field="otp",
            )
        if not TOTP(authenticator).validate_code(otp.strip()):
            # A wrong second factor counts towards the lockout like a wrong password.
            user_login_failed.send(sender=__name__, credentials={"username": username}, request=django_request)
            if getattr(django_request, "axes_locked_out", False):
                raise locked_out_error()
            raise EgovError(
                AccountsErrorCode.INVALID_OTP, _("The two-factor authentication code is not correct."), field="otp"
            )

    @extend_schema(
        operation_id="auth_token_revoke_current",
        request=None,
        responses={204: None, 400: ERROR, 401: ERROR},
        summary="Revoke the token in use / Thu hồi khóa API đang dùng",
    )
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, ApiToken):
            raise EgovError(
                AccountsErrorCode.TOKEN_NOT_IN_USE,
                _("This request is not authenticated with an API token."),
            )
        services.api_token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenListApi(APIView):
    @extend_schema(
        operation_id="auth_tokens_list",
        responses={200: ApiTokenSerializer(many=True), 401: ERROR},
        summary="My API tokens (no keys) / Các khóa API của tôi",
    )
    def get(self, request: Request) -> Response:
        tokens = selectors.api_token_list_for_user(user=request.user)  # type: ignore[arg-type]
        return Response(ApiTokenSerializer(tokens, many=True).data)


class ApiTokenRevokeApi(APIView):
    @extend_schema(
        operation_id="auth_tokens_revoke",
        request=None,
        responses={204: None, 400: ERROR, 401: ERROR, 404: ERROR},
        summary="Revoke one of my API tokens / Thu hồi một khóa API của tôi",
    )
    def delete(self, request: Request, token_id: int) -> Response:
        services.api_token_revoke_for_user(actor=request.user, user=request.user, token_id=token_id)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
