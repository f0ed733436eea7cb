from __future__ import annotations

from rest_framework import serializers

from egov.signatures.models import Certificate, CertificateKind


class VerifyInput(serializers.Serializer[None]):
    file = serializers.FileField()


class SignatureResultOutput(serializers.Serializer[None]):
    field = serializers.CharField()
    indication = serializers.ChoiceField(choices=["PASSED", "FAILED", "INDETERMINATE"])
    sub_indication = serializers.CharField(allow_null=True)
    signer = serializers.CharField()
    organisation = serializers.CharField()
    signed_at = serializers.CharField(allow_null=True)
    timestamped = serializers.BooleanField()
    modified_after_signing = serializers.BooleanField()
    explanation_vi = serializers.CharField()
    explanation_en = serializers.CharField()
    level = serializers.CharField()


class VerifyOutput(serializers.Serializer[None]):
    valid = serializers.BooleanField()
    signatures = SignatureResultOutput(many=True)
    errors = serializers.ListField(child=serializers.DictField(), required=False)  # type: ignore[assignment]


class SignInput(serializers.Serializer[None]):
    file = serializers.FileField()
    as_agency = serializers.CharField(required=False, allow_blank=True, help_text="agency code: sign with its seal")
    level = serializers.ChoiceField(choices=["B-B", "B-T", "B-LT", "B-LTA"], default="B-T")
    position = serializers.CharField(required=False, allow_blank=True, max_length=100)
    number_notation = serializers.CharField(required=False, allow_blank=True, max_length=100)


class CertificateListQuery(serializers.Serializer[None]):
    agency = serializers.CharField(required=False)
    kind = serializers.ChoiceField(choices=CertificateKind.choices, required=False)
    expiring_before = serializers.DateTimeField(required=False)


class CertificateOutput(serializers.ModelSerializer[Certificate]):
    agency = serializers.CharField(source="agency.code", allow_null=True, default=None)

    class Meta:
        model = Certificate
        fields = [
            "id", "kind", "common_name", "organisation", "subject", "issuer", "serial", "not_before", "not_after",
            "key_type", "key_size", "key_usage", "fingerprint_sha256", "agency", "trusted_root", "revoked_at",
        ]  # fmt: skip


class CertificateImportInput(serializers.Serializer[None]):
    file = serializers.FileField(help_text="PEM, DER or PKCS#12 (.p12/.pfx)")
    password = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="PKCS#12 password")
    kind = serializers.ChoiceField(choices=CertificateKind.choices, default=CertificateKind.PERSONAL)
    agency = serializers.CharField(required=False, allow_blank=True, help_text="agency code (QCVN 102 or Decision 20)")
    username = serializers.CharField(
        required=False, allow_blank=True, help_text="the person the certificate belongs to"
    )
