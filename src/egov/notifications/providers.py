"""Provider adapters: how a delivery leaves the platform.

- E-mail goes through Django's e-mail backend (`EMAIL_BACKEND`, `EMAIL_HOST`…, `DEFAULT_FROM_EMAIL`).
- SMS goes through the adapter named by `EGOV_SMS_PROVIDER`: `log` (default, for development: the
  text is written to the log), `http` (a generic SMS gateway: JSON POST to `EGOV_SMS_HTTP_URL`
  with `Authorization: Bearer EGOV_SMS_HTTP_TOKEN`), or the dotted path of a class following
  `SmsProvider`.

A provider returns the provider's message id or raises `DeliveryFailed` (`permanent=True` when a
retry cannot help, e.g. a refused address or a 4xx answer).
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.utils import make_msgid, parseaddr
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.module_loading import import_string

logger = logging.getLogger("egov.notifications")


class DeliveryFailed(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    reference: str  # stable per delivery ("egov-delivery-<id>"): lets a gateway drop a repeat
    address: str
    subject: str
    body: str


class Provider(Protocol):
    name: str

    def send(self, message: Outgoing) -> str: ...


class EmailProvider:
    name = "email"

    def send(self, message: Outgoing) -> str:
        domain = parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1].rpartition("@")[2] or "egov.local"
        message_id = make_msgid(idstring=message.reference, domain=domain)
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.address],
            headers={
                "Message-ID": message_id,
                "Auto-Submitted": "auto-generated",
                "X-Egov-Reference": message.reference,
            },
        )
        try:
            sent = get_connection(fail_silently=False).send_messages([email])
        except smtplib.SMTPRecipientsRefused as error:
            raise DeliveryFailed(f"recipient refused: {error.recipients}", permanent=True) from error
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
        if not sent:
            raise DeliveryFailed("the e-mail backend sent nothing")
        return message_id


class SmsProvider(Protocol):
    name: str

    def send(self, message: Outgoing) -> str: ...


class LogSmsProvider:
    """Development: writes the SMS to the log instead of sending it."""

    name = "log"

    def send(self, message: Outgoing) -> str:
        logger.info(
            "notifications.sms", extra={"to": message.address, "text": message.body, "reference": message.reference}
        )
        return f"log:{message.reference}"


class HttpSmsProvider:
    """A generic SMS gateway: POST {"to", "text", "sender", "reference"} as JSON with a bearer token;
    any 2xx is accepted, and the answer's "id" or "message_id" (if JSON) is the provider's id."""

    name = "http"

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float | None = None) -> None:
        self.url = url if url is not None else str(getattr(settings, "EGOV_SMS_HTTP_URL", ""))
        self.token = token if token is not None else str(getattr(settings, "EGOV_SMS_HTTP_TOKEN", ""))
        self.timeout = float(timeout if timeout is not None else getattr(settings, "EGOV_SMS_HTTP_TIMEOUT", 10))
        self.sender = str(getattr(settings, "EGOV_SMS_SENDER", "") or "")

    def send(self, message: Outgoing) -> str:
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise DeliveryFailed("EGOV_SMS_HTTP_URL is not an http(s) URL", permanent=True)
        payload = {"to": message.address, "text": message.body, "sender": self.sender, "reference": message.reference}
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            self.url,
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": message.reference,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read(65536)
        except urllib.error.HTTPError as error:
            permanent = 400 <= error.code < 500 and error.code not in (408, 429)
            raise DeliveryFailed(f"HTTP {error.code} from the SMS gateway", permanent=permanent) from error
        except (urllib.error.URLError, OSError) as error:
            raise DeliveryFailed(f"SMS gateway unreachable: {error}") from error
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {}
        if isinstance(answer, dict):
            return str(answer.get("id") or answer.get("message_id") or "")[:200]
        return ""


SMS_PROVIDERS: dict[str, type] = {"log": LogSmsProvider, "http": HttpSmsProvider}


def sms_provider() -> SmsProvider:
    name = str(getattr(settings, "EGOV_SMS_PROVIDER", "log") or "log")
    cls = SMS_PROVIDERS.get(name) or import_string(name)
    provider: SmsProvider = cls()
    return provider


def provider_for(channel: str) -> Provider:
    if channel == "email":
        return EmailProvider()
    return sms_provider()
