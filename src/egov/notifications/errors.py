from egov.common.errors import ErrorCode


class NotificationsErrorCode(ErrorCode):
    INVALID = "notifications.invalid"
    UNKNOWN_KIND = "notifications.unknown_kind"
    UNKNOWN_CHANNEL = "notifications.unknown_channel"
    INVALID_LINK = "notifications.invalid_link"
    INVALID_ADDRESS = "notifications.invalid_address"
    NOT_FOUND = "notifications.not_found"
