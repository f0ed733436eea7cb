"""Certificates (registry and trust store), cached revocation data, remote-signing requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.common.models import TimeStampedModel


class CertificateKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation certificate")
    PERSONAL = "personal", _("Personal certificate")
    CA = "ca", _("Certification authority")
    TSA = "tsa", _("Time-stamp authority")
    OCSP = "ocsp", _("OCSP responder")


class Certificate(TimeStampedModel):
    """A certificate known to the platform: a signer's (organisation or personal), or a CA,
    TSA or OCSP certificate. `trusted_root` marks trust anchors (the national specialised CA's
    roots are data, not code)."""

    kind = models.CharField(_("kind"), max_length=16, choices=CertificateKind.choices)
    subject = models.CharField(_("subject"), max_length=500)
    common_name = models.CharField(_("common name"), max_length=255, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    issuer = models.CharField(_("issuer"), max_length=500)
    serial = models.CharField(_("serial number (hex)"), max_length=80)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid to"))
    key_type = models.CharField(_("key type"), max_length=16)  # rsa | ec
    key_size = models.PositiveIntegerField(_("key size"))
    key_usage = models.JSONField(_("key usage"), default=list, blank=True)
    extended_key_usage = models.JSONField(_("extended key usage"), default=list, blank=True)
    fingerprint_sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    der = models.BinaryField(_("certificate (DER)"))
    agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    trusted_root = models.BooleanField(_("trusted root"), default=False)
    revoked_at = models.DateTimeField(_("revoked at (cached)"), null=True, blank=True)
    # Where the private key lives, for the platform's own signers (never the key itself).
    key_reference = models.CharField(_("key reference"), max_length=500, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["kind", "common_name", "id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [models.Index(fields=["kind", "not_after"], name="signatures_cert_kind_expiry")]

    def __str__(self) -> str:
        return f"{self.common_name} ({self.serial})"


class RevocationCache(models.Model):
    """A fetched OCSP response or CRL, kept so validation keeps working while a responder is
    briefly down (used only within its freshness limit)."""

    class Kind(models.TextChoices):
        OCSP = "ocsp", "OCSP"
        CRL = "crl", "CRL"

    kind = models.CharField(max_length=4, choices=Kind.choices)
    url = models.CharField(max_length=500)
    # OCSP: issuer key hash + serial of the certificate asked about; CRL: empty.
    subject_key = models.CharField(max_length=200, blank=True)
    der = models.BinaryField()
    fetched_at = models.DateTimeField()
    this_update = models.DateTimeField(null=True, blank=True)
    next_update = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cached revocation data")
        verbose_name_plural = _("cached revocation data")
        constraints = [
            models.UniqueConstraint(fields=["kind", "url", "subject_key"], name="signatures_revocation_cache_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.url}"


class SignatureRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    COMPLETED = "completed", _("Completed")


class SignatureRequest(TimeStampedModel):
    """A remote signature in progress: the prepared PDF waits here while the hash to be signed
    travels to a phone or a remote HSM; the signature comes back later."""

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SignatureRequestStatus.choices, default=SignatureRequestStatus.PENDING
    )
    document_digest = models.CharField(_("document digest (SHA-256, hex)"), max_length=64)
    data_to_sign = models.BinaryField(_("signed attributes (DER)"))
    data_to_sign_digest = models.CharField(_("digest to sign (SHA-256, hex)"), max_length=64)
    prepared_pdf = models.BinaryField(_("prepared PDF"))
    prepared_state = models.JSONField(default=dict, blank=True)
    signed_pdf = models.BinaryField(_("signed PDF"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("signature request")
        verbose_name_plural = _("signature requests")
