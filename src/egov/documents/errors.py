"""Stable error codes of the electronic office."""

from egov.common.errors import ErrorCode


class DocumentsErrorCode(ErrorCode):
    NOT_FOUND = "documents.not_found"
    INVALID = "documents.invalid"
    ROLE_REQUIRED = "documents.role_required"
    WRONG_STATE = "documents.wrong_state"
    ALREADY_NUMBERED = "documents.already_numbered"
    NOT_SIGNED = "documents.not_signed"
    NOT_NUMBERED = "documents.not_numbered"
    NOT_SEALED = "documents.not_sealed"
    CONFIDENTIAL = "documents.confidential"
    FILE_TYPE = "documents.file_type"
    FILE_MISSING = "documents.file_missing"
    UNIT_OF_OTHER_AGENCY = "documents.unit_of_other_agency"
    HANDLER_INVALID = "documents.handler_invalid"
    RECIPIENT_INVALID = "documents.recipient_invalid"
    REASON_REQUIRED = "documents.reason_required"
    SIGNING_UNAVAILABLE = "documents.signing_unavailable"
    NO_CERTIFICATE = "documents.no_certificate"
    UNKNOWN_ACTION = "documents.unknown_action"
    FILE_CLOSED = "documents.file_closed"
    FILE_OPEN = "documents.file_open"
    FILE_INTEGRITY = "documents.file_integrity"
