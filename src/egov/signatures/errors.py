from egov.common.errors import ErrorCode


class SignaturesErrorCode(ErrorCode):
    CERTIFICATE_UNREADABLE = "signatures.certificate_unreadable"
    WRONG_PASSWORD = "signatures.wrong_password"  # noqa: S105
    KEY_USAGE_MISSING = "signatures.key_usage_missing"
    CERTIFICATE_EXISTS = "signatures.certificate_exists"
    NO_CERTIFICATE = "signatures.no_certificate"
    NOT_A_PDF = "signatures.not_a_pdf"
    SIGNING_FAILED = "signatures.signing_failed"
    TOKEN_LOGIN_FAILED = "signatures.token_login_failed"  # noqa: S105
    NO_PRIVATE_KEY = "signatures.no_private_key"
    FILE_TOO_LARGE = "signatures.file_too_large"
    REQUEST_NOT_PENDING = "signatures.request_not_pending"
    BAD_SIGNATURE_VALUE = "signatures.bad_signature_value"
    AGENCY_UNKNOWN = "signatures.agency_unknown"
    UNKNOWN_USER = "signatures.unknown_user"
