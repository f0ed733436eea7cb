from __future__ import annotations

from rest_framework import serializers

from egov.accounts.models import ApiToken


class TokenObtainInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    otp = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")


class TokenIssuedSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once; store it safely. / Chỉ hiển thị một lần.")
    token_type = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    key_prefix = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)


class ApiTokenSerializer(serializers.ModelSerializer):
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "name", "key_prefix", "created_at", "last_used_at", "expires_at", "revoked_at", "is_active"]
        read_only_fields = fields

    def get_is_active(self, obj: ApiToken) -> bool:
        return obj.is_usable()
