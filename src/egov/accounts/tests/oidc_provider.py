"""A small, real OpenID Connect provider for tests: HTTP on 127.0.0.1, RS256 ID tokens.

It plays the national identity platform: discovery, /authorize (auto-approves the configured
subject), /token (client secret, single-use code, redirect URI, PKCE S256), /userinfo, /jwks.
Knobs let a test make it misbehave (tampered signature, wrong nonce, userinfo of someone else).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from authlib.jose import JsonWebKey, jwt


class OidcTestProvider:
    def __init__(self, *, client_id: str = "egov-test", client_secret: str = "op-secret-123") -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = JsonWebKey.generate_key("RSA", 2048, is_private=True)
        self.kid = secrets.token_hex(8)
        self.subject: dict[str, Any] = {"sub": "vneid-subject-1"}
        self.codes: dict[str, dict[str, Any]] = {}
        self.access_tokens: dict[str, dict[str, Any]] = {}
        self.token_requests: list[dict[str, str]] = []
        self.authorize_requests: list[dict[str, str]] = []
        # misbehaviour switches
        self.tamper_signature = False
        self.nonce_override: str | None = None
        self.userinfo_override: dict[str, Any] | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -----------------------------------------------------------------------------
    @property
    def issuer(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> OidcTestProvider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                provider._handle(self, "GET")

            def do_POST(self) -> None:
                provider._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # --- HTTP ----------------------------------------------------------------------------------
    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        url = urlparse(h.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        form: dict[str, str] = {}
        if method == "POST":
            length = int(h.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(h.rfile.read(length).decode()).items()}
        routes = {
            ("GET", "/.well-known/openid-configuration"): lambda: self._discovery(),
            ("GET", "/authorize"): lambda: self._authorize(query),
            ("POST", "/token"): lambda: self._token(form, h.headers.get("Authorization", "")),
            ("GET", "/userinfo"): lambda: self._userinfo(h.headers.get("Authorization", "")),
            ("GET", "/jwks"): lambda: (200, {"keys": [self._public_jwk()]}, {}),
        }
        handler = routes.get((method, url.path))
        status, body, headers = handler() if handler else (404, {"error": "not_found"}, {})
        payload = json.dumps(body).encode() if body is not None else b""
        h.send_response(status)
        for name, value in headers.items():
            h.send_header(name, value)
        if body is not None:
            h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        h.wfile.write(payload)

    def _discovery(self) -> tuple[int, dict[str, Any], dict[str, str]]:
        return (
            200,
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                "code_challenge_methods_supported": ["S256"],
            },
            {},
        )

    def _authorize(self, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        self.authorize_requests.append(query)
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, {"error": "invalid_request"}, {}
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "redirect_uri": query.get("redirect_uri", ""),
            "nonce": query.get("nonce"),
            "code_challenge": query.get("code_challenge"),
            "code_challenge_method": query.get("code_challenge_method"),
            "claims": dict(self.subject),
        }
        params = {"code": code}
        if "state" in query:
            params["state"] = query["state"]
        return 302, None, {"Location": f"{query['redirect_uri']}?{urlencode(params)}"}

    def _client_authenticated(self, form: dict[str, str], authorization: str) -> bool:
        if authorization.startswith("Basic "):
            client_id, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        return client_id == self.client_id and secrets.compare_digest(secret, self.client_secret)

    def _token(self, form: dict[str, str], authorization: str) -> tuple[int, Any, dict[str, str]]:
        self.token_requests.append(form)
        if not self._client_authenticated(form, authorization):
            return 401, {"error": "invalid_client"}, {}
        grant = self.codes.pop(form.get("code", ""), None)  # single use
        if form.get("grant_type") != "authorization_code" or grant is None:
            return 400, {"error": "invalid_grant"}, {}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}, {}
        if grant["code_challenge"]:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if grant["code_challenge_method"] != "S256" or digest != grant["code_challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE"}, {}
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = grant["claims"]
        now = int(time.time())
        claims = {
            **grant["claims"],
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
        }
        nonce = self.nonce_override if self.nonce_override is not None else grant["nonce"]
        if nonce:
            claims["nonce"] = nonce
        id_token = jwt.encode({"alg": "RS256", "kid": self.kid}, claims, self.key).decode()
        if self.tamper_signature:
            head, body, signature = id_token.split(".")
            flipped = ("A" if signature[5] != "A" else "B").join([signature[:5], signature[6:]])
            id_token = f"{head}.{body}.{flipped}"
        return (
            200,
            {"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token},
            {"Cache-Control": "no-store"},
        )

    def _userinfo(self, authorization: str) -> tuple[int, Any, dict[str, str]]:
        claims = self.access_tokens.get(authorization.removeprefix("Bearer "))
        if claims is None:
            return 401, {"error": "invalid_token"}, {}
        return 200, self.userinfo_override if self.userinfo_override is not None else claims, {}

    def _public_jwk(self) -> dict[str, Any]:
        public = self.key.as_dict(is_private=False)
        return {**public, "kid": self.kid, "use": "sig", "alg": "RS256"}
