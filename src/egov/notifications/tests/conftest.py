"""Fixtures: users with contacts, a real SMTP server in another process (aiosmtpd writing a
Maildir), a real HTTP SMS gateway on a local port, and a clock that can be moved."""

from __future__ import annotations

import email
import email.policy
import json
import mailbox
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from egov.accounts import services as accounts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def people(db):
    return {
        "staff": accounts.user_create_staff(
            actor=None,
            username="chuyenvien.a",
            full_name="Lê Thị Dung",
            email="dung@stttt.thaibinh.gov.vn",
            phone="0912 345 678",
        ),
        "citizen": accounts.user_create_citizen(
            actor=None, username="nguyenvana", full_name="Nguyễn Văn A", email="vana@example.vn", phone="0987654321"
        ),
        "bare": accounts.user_create_citizen(actor=None, username="tranthib", full_name="Trần Thị B"),
    }


class SmtpServer:
    def __init__(self, port: int, maildir: Path, process: subprocess.Popen[bytes]) -> None:
        self.port, self.maildir, self.process = port, maildir, process

    def messages(self) -> list[email.message.EmailMessage]:
        box = mailbox.Maildir(self.maildir, create=False)
        return [email.message_from_bytes(box.get_bytes(key), policy=email.policy.default) for key in sorted(box.keys())]


def start_smtp(port: int, maildir: Path) -> SmtpServer:
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox",
         str(maildir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                if s.recv(100).startswith(b"220"):
                    return SmtpServer(port, maildir, process)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the SMTP server did not start")


@pytest.fixture
def smtp_settings(settings):
    """Django's SMTP backend aimed at a port (the test starts the server when it wants)."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "egov Thái Bình <khong-tra-loi@thaibinh.gov.vn>"
    settings.EGOV_SITE_URL = "https://dichvucong.thaibinh.gov.vn"
    return settings


@pytest.fixture
def smtp_server(smtp_settings, tmp_path):
    servers: list[SmtpServer] = []

    def start() -> SmtpServer:
        server = start_smtp(smtp_settings.EMAIL_PORT, tmp_path / "maildir")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.process.terminate()
        server.process.wait(timeout=10)


class Gateway:
    """A local SMS gateway: answers each POST with the next (status, body) of `answers` (the
    last one repeats) and keeps what it received."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.answers: list[tuple[int, dict[str, Any]]] = [(200, {"id": "gw-1"})]
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                gateway.received.append({"path": self.path, "headers": dict(self.headers), "raw": raw,
                                         "json": json.loads(raw.decode("utf-8"))})  # fmt: skip
                index = min(len(gateway.received), len(gateway.answers)) - 1
                status, body = gateway.answers[index]
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    gw = Gateway()
    settings.EGOV_SMS_PROVIDER = "http"
    settings.EGOV_SMS_HTTP_URL = gw.url
    settings.EGOV_SMS_HTTP_TOKEN = "token-sms-123"
    settings.EGOV_SMS_HTTP_TIMEOUT = 5
    settings.EGOV_SMS_SENDER = "THAIBINH"
    yield gw
    gw.close()
