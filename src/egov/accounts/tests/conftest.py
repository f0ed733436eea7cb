from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

import pytest

from egov.accounts import services

PASSWORD = "Thai-Binh-2018-ok!"


def totp_code(secret: str, at: float | None = None, period: int = 30, digits: int = 6) -> str:
    """RFC 6238 computed independently of allauth (HMAC-SHA1, 30 s, 6 digits)."""
    counter = int((time.time() if at is None else at) // period)
    key = base64.b32decode(secret.encode("ascii"), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{value:0{digits}d}"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's rate limits and used-TOTP markers live in the cache; start every test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def citizen(db):
    return services.user_create_citizen(
        actor=None,
        username="nguyenvana",
        full_name="Nguyễn Văn A",
        password=PASSWORD,
        national_id="034090001234",
        phone="0912345678",
        email="a@example.vn",
        address="Thành phố Thái Bình",
    )


@pytest.fixture
def staff(db):
    return services.user_create_staff(
        actor=None, username="canbo1", full_name="Trần Thị Bình", password=PASSWORD, email="binh@thaibinh.gov.vn"
    )


@pytest.fixture
def no_demo(settings):
    settings.EGOV_DEMO = False
    return settings
