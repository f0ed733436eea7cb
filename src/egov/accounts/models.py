"""People: staff of the agencies and the citizens (or businesses' representatives) they serve.

A custom user model from the first migration. Which agency a staff member works for, and in
what roles, is `orgs.Membership` (orgs sits above accounts).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    CITIZEN = "citizen", _("Citizen")


national_id_validator = RegexValidator(r"^\d{12}$", _("A citizen identity number (CCCD) has exactly 12 digits."))
phone_validator = RegexValidator(
    r"^(\+84|0)\d{9,10}$", _("A Vietnamese phone number starts with 0 or +84 and has 10–11 digits.")
)


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=UserKind.choices, default=UserKind.CITIZEN)
    national_id = models.CharField(
        _("citizen identity number"), max_length=12, blank=True, validators=[national_id_validator]
    )
    phone = models.CharField(_("phone"), max_length=16, blank=True, validators=[phone_validator])
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["national_id"],
                condition=~models.Q(national_id=""),
                name="accounts_user_national_id_unique",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()

    @property
    def is_staff_member(self) -> bool:
        return self.kind == UserKind.STAFF


class ApiToken(models.Model):
    """A key a program uses to call the API on a user's behalf.

    Only the SHA-256 of the key is stored; the key itself is shown once, when it is issued.
    `key_prefix` (its first 8 characters) finds the row without a scan and lets a person
    recognise a token in a list.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_prefix = models.CharField(_("key prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.name or '-'})"

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now
