"""Every URL is private unless it is on the public list below (style.md §2.5)."""

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny

# Route prefixes whose views may be reached anonymously, with the reason.
PUBLIC_PREFIXES = {
    "": "home page",
    "healthz": "health check for load balancers",
    "metrics": "guarded inside the view: loopback, operator token or superuser",
    "i18n/setlang/": "language switch",
    "accounts/": "allauth login, logout, MFA and SSO pages (allauth guards its own private ones)",
    "admin/": "Django admin guards itself and shows its login page",
    "api/schema/": "public OpenAPI schema",
    "api/docs/": "public API documentation",
    "api/v1/auth/token": "obtaining a token needs credentials in the body",
    "api/v1/agencies": "the agency directory is public (writes need a role, checked in the views)",
    "api/v1/calendar": "working-day queries are public (exception edits need a permission)",
    "xac-thuc/": "public verification of signed documents (Xác thực văn bản điện tử)",
    "thu-tuc/": "public procedure catalogue",
    "api/v1/signatures/verify": "anyone may verify a signed PDF",
    "api/v1/procedures": "the procedure catalogue is public (imports need a role)",
    "api/v1/procedure-fields": "the field code list is public",
    "van-ban/xac-minh": "public check of a released document by its QR link (if any)",
    "mot-cua/tra-cuu": "public dossier lookup by code: status only, never personal data",
    "api/v1/dossiers/lookup": "public dossier lookup by code: status only, never personal data",
    "api/v1/public/dossiers/": "the same public dossier lookup at the address issue #4 names",
    "static/": "static files",
    "media/": "debug-only media",
}


def _walk(patterns, prefix="") -> Iterator[tuple[str, object]]:
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route, p.callback


def _is_public(callback) -> bool:
    cls = getattr(callback, "cls", None)
    if cls is not None:  # a DRF view (which DRF marks login_required=False): its permissions decide
        perms = list(getattr(callback, "initkwargs", {}).get("permission_classes", cls.permission_classes))
        for method in cls.http_method_names:
            perms += getattr(cls, f"permission_classes_{method}", [])
        return any(perm is AllowAny for perm in perms)
    return getattr(callback, "login_required", True) is False


def test_every_public_url_is_on_the_list():
    unexpected = []
    for route, callback in _walk(get_resolver().url_patterns):
        if not _is_public(callback):
            continue
        if route.startswith("accounts/") or route.startswith("admin/"):
            continue
        if not any(route == p or (p and route.startswith(p)) for p in PUBLIC_PREFIXES):
            unexpected.append(route)
    assert unexpected == [], f"public without being listed: {unexpected}"


def test_a_known_private_page_is_private():
    private = [r for r, cb in _walk(get_resolver().url_patterns) if r == "workspace/"]
    assert private
    callback = next(cb for r, cb in _walk(get_resolver().url_patterns) if r == "workspace/")
    assert not _is_public(callback)
