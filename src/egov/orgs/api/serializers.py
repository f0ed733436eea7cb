"""Shapes of the orgs API. Codes are validated by the services (stable `orgs.*` error codes),
so the input serializers take them as plain text."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from egov.orgs.models import Agency, AgencyKind


class AgencyOutput(serializers.ModelSerializer[Agency]):
    name = serializers.CharField(source="name_vi", read_only=True)
    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True, default=None)
    successor_code = serializers.CharField(source="successor.code", read_only=True, allow_null=True, default=None)
    level1_inferred = serializers.BooleanField(source="level1.inferred", read_only=True)

    class Meta:
        model = Agency
        fields = [
            "code",
            "code_d20",
            "name",
            "name_en",
            "short_name",
            "abbreviation",
            "parent_code",
            "kind",
            "valid_from",
            "valid_to",
            "successor_code",
            "level1_inferred",
        ]
        read_only_fields = fields


class AgencyDetailOutput(AgencyOutput):
    administrative_unit = serializers.CharField(
        source="administrative_unit.gso_code", read_only=True, allow_null=True, default=None
    )

    class Meta(AgencyOutput.Meta):
        fields = [*AgencyOutput.Meta.fields, "administrative_unit", "address", "phone", "email", "website"]
        read_only_fields = fields


class AgencyListQuery(serializers.Serializer[Any]):
    search = serializers.CharField(required=False, allow_blank=True, max_length=200)
    kind = serializers.ChoiceField(choices=AgencyKind.choices, required=False)
    in_force_on = serializers.DateField(required=False)
    include_closed = serializers.BooleanField(required=False, default=False)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # "parent" is a Serializer attribute, so that query parameter cannot be a class attribute.
        fields = super().get_fields()
        fields["parent"] = serializers.CharField(required=False, allow_blank=True, max_length=40)
        return fields


class _AgencyFields(serializers.Serializer[Any]):
    code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    code_d20 = serializers.CharField(required=False, allow_blank=True, max_length=40)
    name = serializers.CharField(max_length=300)
    name_en = serializers.CharField(required=False, allow_blank=True, max_length=300)
    short_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    abbreviation = serializers.CharField(required=False, allow_blank=True, max_length=30)
    kind = serializers.CharField(max_length=40)
    parent_code = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=40)
    administrative_unit = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=5)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    website = serializers.CharField(required=False, allow_blank=True, max_length=200)
    valid_from = serializers.DateField()


class AgencyCreateInput(_AgencyFields):
    valid_to = serializers.DateField(required=False, allow_null=True)


class AgencyUpdateInput(_AgencyFields):
    """Used with ``partial=True``: only the fields given change."""


class AgencyCloseInput(serializers.Serializer[Any]):
    valid_to = serializers.DateField()
    successor_code = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=40)
    reason = serializers.CharField(max_length=1000, allow_blank=True)
    transfer_staff = serializers.BooleanField(required=False, default=False)


# Input field → service argument.
AGENCY_INPUT_MAP = {
    "code": "code",
    "code_d20": "code_d20",
    "name": "name_vi",
    "name_en": "name_en",
    "short_name": "short_name",
    "abbreviation": "abbreviation",
    "kind": "kind",
    "parent_code": "parent",
    "administrative_unit": "administrative_unit",
    "address": "address",
    "phone": "phone",
    "email": "email",
    "website": "website",
    "valid_from": "valid_from",
    "valid_to": "valid_to",
}


class MembershipOutput(serializers.Serializer[Any]):
    agency_code = serializers.CharField()
    agency_code_d20 = serializers.CharField()
    agency_name = serializers.CharField()
    unit = serializers.CharField(source="unit_name", allow_null=True)
    position = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    is_primary = serializers.BooleanField()


class AgencyMemberOutput(MembershipOutput):
    username = serializers.CharField()
    full_name = serializers.CharField()


class MeOutput(serializers.Serializer[Any]):
    username = serializers.CharField()
    full_name = serializers.CharField()
    kind = serializers.CharField()
    memberships = MembershipOutput(many=True)
