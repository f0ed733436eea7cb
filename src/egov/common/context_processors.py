from typing import Any

from django.conf import settings
from django.http import HttpRequest

import egov


def platform(request: HttpRequest) -> dict[str, Any]:
    return {"EGOV_VERSION": egov.__version__, "EGOV_DEMO": settings.EGOV_DEMO}
