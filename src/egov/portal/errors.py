from egov.common.errors import ErrorCode


class PortalErrorCode(ErrorCode):
    NOT_FOUND = "portal.not_found"
    UNKNOWN_GROUP = "portal.unknown_group"
