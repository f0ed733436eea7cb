from typing import Any

from django.http import HttpRequest, HttpResponse


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("Locked / Tạm khóa", status=429)
