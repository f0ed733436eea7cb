"""The web and API shell: health, metrics, security headers, request ids, error bodies, upload limit."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_version(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert re.match(r"^\d+\.\d+\.\d+", body["version"])


def test_request_id_is_returned_and_kept_from_a_proxy(client):
    generated = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-req-12345")["X-Request-ID"] == "proxy-req-12345"
    # a malformed incoming id is replaced, not echoed
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_security_headers_and_content_security_policy(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp


def test_metrics_are_for_operators_only(client, settings):
    client.get("/healthz")
    local = client.get("/metrics")
    assert local.status_code == 200
    assert b"egov_http_requests_total" in local.content
    # through a proxy (public traffic) without the operator token: hidden
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    settings.EGOV_METRICS_TOKEN = "scrape-secret-123"
    ok = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer scrape-secret-123")
    assert ok.status_code == 200
    bad = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer wrong")
    assert bad.status_code == 404


def test_pages_are_private_by_default(client):
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_api_path_gets_the_json_error_body(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "common.not_found"
    assert body["messages"]["en"] == "Not found."
    assert body["messages"]["vi"] == "Không tìm thấy."


def test_unknown_page_is_a_translated_html_404(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_oversized_upload_is_refused_before_reading(client, settings):
    settings.EGOV_MAX_UPLOAD_BYTES = 1024
    response = client.post(
        "/api/v1/auth/token/",
        data=b"x" * 4096,
        content_type="application/octet-stream",
    )
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "common.upload_too_large"
    assert "MB" in body["messages"]["vi"]
    assert body["messages"]["vi"] != body["messages"]["en"]


def test_language_switch_sets_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Skip to main content" in page


def test_home_is_vietnamese_by_default_with_skip_link(client):
    page = Client().get("/").content.decode()
    assert 'lang="vi"' in page
    assert 'href="#main"' in page
    assert "Chuyển đến nội dung chính" in page
    assert 'rel="icon"' in page  # no /favicon.ico 404 on a first visit
    assert "egov/favicon.svg" in page
    assert "An icon of our own" not in page


def test_openapi_schema_and_offline_docs(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()


def test_pages_stay_vietnamese_for_an_english_browser_until_english_is_chosen(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


def test_api_messages_follow_accept_language(client):
    body = client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["message"] == "Not found."
    body = client.get("/api/v1/no-such-thing/").json()
    assert body["message"] == "Không tìm thấy."


def test_stylesheets_are_served_locally(client):
    page = client.get("/").content.decode()
    for href in ("/static/vendor/pico/pico.min.css", "/static/egov/egov.css", "/static/vendor/htmx/htmx.min.js"):
        assert href in page
    assert "https://" not in page.split("<body")[0]
