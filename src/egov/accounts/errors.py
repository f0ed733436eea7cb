"""Stable error codes of the accounts context."""

from egov.common.errors import ErrorCode


class AccountsErrorCode(ErrorCode):  # values are codes, not secrets
    INVALID_NATIONAL_ID = "accounts.invalid_national_id"
    DUPLICATE_NATIONAL_ID = "accounts.duplicate_national_id"
    INVALID_PHONE = "accounts.invalid_phone"
    INVALID_EMAIL = "accounts.invalid_email"
    INVALID_USERNAME = "accounts.invalid_username"
    DUPLICATE_USERNAME = "accounts.duplicate_username"
    INVALID_FULL_NAME = "accounts.invalid_full_name"
    INVALID_ADDRESS = "accounts.invalid_address"
    WEAK_PASSWORD = "accounts.weak_password"  # noqa: S105
    UNKNOWN_FIELD = "accounts.unknown_field"
    ALREADY_INACTIVE = "accounts.already_inactive"
    INVALID_CREDENTIALS = "accounts.invalid_credentials"
    LOCKED_OUT = "accounts.locked_out"
    TWO_FACTOR_REQUIRED = "accounts.two_factor_required"
    OTP_REQUIRED = "accounts.otp_required"
    INVALID_OTP = "accounts.invalid_otp"
    INVALID_TOKEN_NAME = "accounts.invalid_token_name"  # noqa: S105
    INVALID_EXPIRY = "accounts.invalid_expiry"
    TOKEN_ALREADY_REVOKED = "accounts.token_already_revoked"  # noqa: S105
    TOKEN_NOT_IN_USE = "accounts.token_not_in_use"  # noqa: S105
    TOKEN_NOT_FOUND = "accounts.token_not_found"  # noqa: S105
