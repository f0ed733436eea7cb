from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from egov.accounts import services
from egov.accounts.models import ApiToken, User
from egov.common.errors import EgovError


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "kind", "national_id", "phone", "email", "is_active", "is_superuser")
    list_filter = ("kind", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "full_name", "national_id", "phone", "email")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("kind", "full_name", "national_id", "phone", "email", "address")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "kind", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("key_prefix", "name", "user", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("key_prefix", "name", "user__username", "user__full_name")
    readonly_fields = ("user", "name", "key_prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    exclude = ("key_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued through the API, where the key is shown once

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False  # revoke instead: the record and its audit trail stay

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                services.api_token_revoke(actor=request.user, token=token)
            except EgovError:
                continue
            revoked += 1
        self.message_user(request, _("%(count)d token(s) revoked.") % {"count": revoked}, messages.SUCCESS)
