"""egov settings: everything lives here and is read from the environment.

`test.py` and `production.py` override little. Names an operator may set:

- ``DATABASE_URL``          default ``sqlite:///$EGOV_DATA_DIR/egov.sqlite3``
- ``EGOV_DATA_DIR``         default ``<repo>/var`` (database, uploads, collected static, keys)
- ``EGOV_SECRET_KEY``       required when ``EGOV_DEBUG`` is off
- ``EGOV_DEBUG``            default off
- ``EGOV_ALLOWED_HOSTS``    comma-separated, default ``127.0.0.1,localhost`` (plus ``testserver`` in debug)
- ``EGOV_DEMO``             demo mode (demo data, relaxed 2FA); refused with debug off unless
                            ``EGOV_DEMO_ALLOW_PRODUCTION=1`` says it is on purpose
- ``EGOV_DEMO_PASSWORD``    the password of every demo account
- ``EGOV_DEMO_DOSSIERS``    how many dossiers the demo year holds (default 500; 0: none)
- ``EGOV_OIDC_*``           the national identity platform (VNeID through the national portal's SSO):
                            SERVER_URL, CLIENT_ID, CLIENT_SECRET, NAME, NATIONAL_ID_CLAIM
- ``EGOV_LOCAL_SIGNUP``     open local self-registration (default off)
- ``EGOV_METRICS_TOKEN``    bearer token that lets a scraper read ``/metrics`` from off the machine
- ``EGOV_MAX_UPLOAD_MB``    largest accepted upload
- ``EGOV_LOG_FORMAT``       ``json`` (default outside debug) or ``text``
- ``EGOV_EMAIL_URL``        outgoing mail, ``smtp://user:pass@host:587?tls=1`` (or ``?ssl=1``); default:
                            ``console`` in debug (printed), otherwise ``smtp://127.0.0.1:25``
- ``EGOV_DEFAULT_FROM_EMAIL`` sender address of notifications
- ``EGOV_SITE_URL``         absolute base of links in e-mails and SMS (``http://127.0.0.1:8000``)
- ``EGOV_SMS_PROVIDER``     ``log`` (default: written to the log), ``http`` (a JSON gateway: ``EGOV_SMS_HTTP_URL``,
                            ``EGOV_SMS_HTTP_TOKEN``, ``EGOV_SMS_HTTP_TIMEOUT``, ``EGOV_SMS_SENDER``) or a dotted path;
                            ``EGOV_SMS_UNACCENTED`` (default on), ``EGOV_SMS_MAX_CHARS`` (0 = 160, or 70 with diacritics)
- ``EGOV_NOTIFICATIONS_MAX_ATTEMPTS`` delivery attempts before a message is failed (5)
- ``EGOV_TASKS_BACKEND``    ``database`` (default: tasks wait for ``egov worker``) or ``immediate``
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from egov.config.env import env_bool, env_int, env_list, env_path, env_str

django_stubs_ext.monkeypatch()

SRC_DIR = Path(__file__).resolve().parents[2]  # src/egov
REPO_DIR = SRC_DIR.parents[1]
DATA_DIR = env_path("EGOV_DATA_DIR", REPO_DIR / "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)

DEBUG = env_bool("EGOV_DEBUG", False)
EGOV_DEMO = env_bool("EGOV_DEMO", False)
EGOV_DEMO_ALLOW_PRODUCTION = env_bool("EGOV_DEMO_ALLOW_PRODUCTION", False)
EGOV_DEMO_PASSWORD = env_str("EGOV_DEMO_PASSWORD", "ThaiBinh@2018")
if EGOV_DEMO and not DEBUG and not EGOV_DEMO_ALLOW_PRODUCTION:
    raise ImproperlyConfigured(
        "Chế độ trình diễn (EGOV_DEMO) bị từ chối khi EGOV_DEBUG tắt; đặt "
        "EGOV_DEMO_ALLOW_PRODUCTION=1 nếu thật sự muốn. / Demo mode is refused with "
        "EGOV_DEBUG off; set EGOV_DEMO_ALLOW_PRODUCTION=1 if you really mean it."
    )

_secret = env_str("EGOV_SECRET_KEY", "")
if not _secret:
    if not DEBUG:
        raise ImproperlyConfigured(
            "EGOV_SECRET_KEY phải được đặt khi EGOV_DEBUG tắt. / EGOV_SECRET_KEY must be set when EGOV_DEBUG is off."
        )
    _secret = "insecure-development-key-never-use-in-production-egov"  # noqa: S105
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list(
    "EGOV_ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "[::1]"] + (["testserver"] if DEBUG else []),
)

INSTALLED_APPS = [
    # egov, in the dependency order of docs/architecture.md (lowest first)
    "egov.common",
    "egov.audit",
    "egov.accounts",
    "egov.orgs",
    "egov.workcalendar",
    "egov.signatures",
    "egov.notifications",
    "egov.procedures",
    "egov.documents",
    "egov.dossiers",
    "egov.api",
    "egov.portal",
    "egov.demo",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "egov.common.middleware.RequestIdMiddleware",
    "egov.common.middleware.MetricsMiddleware",
    "egov.common.uploads.UploadLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "egov.common.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "egov.common.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "egov.accounts.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Background jobs (architecture.md §3): the Django Tasks API on the database by default, run by
# `egov worker`; EGOV_TASKS_BACKEND=immediate runs each task inline (development without a worker).
_tasks_backend = env_str("EGOV_TASKS_BACKEND", "database")
if _tasks_backend not in ("database", "immediate"):
    raise ImproperlyConfigured("EGOV_TASKS_BACKEND must be 'database' or 'immediate'")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[_tasks_backend],
    }
}


# Outgoing mail and SMS (notifications app).
def _email_settings(url: str) -> dict[str, object]:
    from urllib.parse import parse_qs, unquote, urlsplit

    if url == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme != "smtp" or not parts.hostname:
        raise ImproperlyConfigured("EGOV_EMAIL_URL must look like smtp://user:password@host:port?tls=1, or be console")
    query = parse_qs(parts.query)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or 25,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": query.get("tls", ["0"])[0] == "1",
        "EMAIL_USE_SSL": query.get("ssl", ["0"])[0] == "1",
    }


globals().update(_email_settings(env_str("EGOV_EMAIL_URL", "console" if DEBUG else "smtp://127.0.0.1:25")))
EMAIL_TIMEOUT = 10  # seconds: a stuck mail server must not hang the worker
DEFAULT_FROM_EMAIL = env_str("EGOV_DEFAULT_FROM_EMAIL", "egov <no-reply@egov.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EGOV_SITE_URL = env_str("EGOV_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
EGOV_SMS_PROVIDER = env_str("EGOV_SMS_PROVIDER", "log")
EGOV_SMS_HTTP_URL = env_str("EGOV_SMS_HTTP_URL", "")
EGOV_SMS_HTTP_TOKEN = env_str("EGOV_SMS_HTTP_TOKEN", "")
EGOV_SMS_HTTP_TIMEOUT = env_int("EGOV_SMS_HTTP_TIMEOUT", 10)
EGOV_SMS_SENDER = env_str("EGOV_SMS_SENDER", "")
EGOV_SMS_UNACCENTED = env_bool("EGOV_SMS_UNACCENTED", True)
EGOV_SMS_MAX_CHARS = env_int("EGOV_SMS_MAX_CHARS", 0)
EGOV_NOTIFICATIONS_MAX_ATTEMPTS = env_int("EGOV_NOTIFICATIONS_MAX_ATTEMPTS", 5)

ROOT_URLCONF = "egov.config.urls"
WSGI_APPLICATION = "egov.config.wsgi.application"
ASGI_APPLICATION = "egov.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "egov.common.context_processors.platform",
                "egov.notifications.context_processors.unread",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
_default_db = f"sqlite:///{DATA_DIR / 'egov.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue instead of failing with "database is locked" half-way through.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- identity -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:workspace"
LOGOUT_REDIRECT_URL = "portal:home"

ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "egov.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "egov.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # link by `sub`, never by e-mail
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_STORE_TOKENS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "egov"

EGOV_OIDC_SERVER_URL = env_str("EGOV_OIDC_SERVER_URL", "")
EGOV_OIDC_NATIONAL_ID_CLAIM = env_str("EGOV_OIDC_NATIONAL_ID_CLAIM", "national_id")
EGOV_LOCAL_SIGNUP = env_bool("EGOV_LOCAL_SIGNUP", False)  # citizens come through VNeID or the counter
SOCIALACCOUNT_PROVIDERS: dict[str, object] = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": (
            [
                {
                    "provider_id": "vneid",
                    "name": env_str("EGOV_OIDC_NAME", "VNeID"),
                    "client_id": env_str("EGOV_OIDC_CLIENT_ID", ""),
                    "secret": env_str("EGOV_OIDC_CLIENT_SECRET", ""),
                    "settings": {"server_url": EGOV_OIDC_SERVER_URL},
                }
            ]
            if EGOV_OIDC_SERVER_URL
            else []
        ),
    }
}

AXES_FAILURE_LIMIT = env_int("EGOV_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "egov.accounts.lockout.lockout_response"

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [
    SRC_DIR / "static",
    ("vendor/htmx", REPO_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/pico", REPO_DIR / "node_modules" / "@picocss" / "pico" / "css"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
EGOV_MAX_UPLOAD_BYTES = env_int("EGOV_MAX_UPLOAD_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = EGOV_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "egov.common.uploads.MaxSizeUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("EGOV_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_SSL_REDIRECT = env_bool("EGOV_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("EGOV_BEHIND_PROXY", False) else None
CSRF_TRUSTED_ORIGINS = env_list("EGOV_CSRF_TRUSTED_ORIGINS", [])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *([EGOV_OIDC_SERVER_URL] if EGOV_OIDC_SERVER_URL else [])],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
EGOV_METRICS_TOKEN = env_str("EGOV_METRICS_TOKEN", "")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "egov.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "egov.common.api.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "egov.common.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth_token": "10/min", "anon": "120/min"},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "egov API",
    "DESCRIPTION": "API của nền tảng chính quyền điện tử egov / API of the egov e-government platform",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # fields named alike in several apps ("kind", "status") get one enum name per code list
    "ENUM_NAME_OVERRIDES": {
        "AgencyKindEnum": "egov.orgs.models.AgencyKind",
        "CertificateKindEnum": "egov.signatures.models.CertificateKind",
        "UserKindEnum": "egov.accounts.models.UserKind",
        "DossierChannelEnum": "egov.dossiers.models.ChannelKind",
    },
}

# --- caches, logs ---------------------------------------------------------------------------
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EGOV_LOG_FORMAT = env_str("EGOV_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "egov.common.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "egov.common.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": EGOV_LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("EGOV_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # PDF rendering and font subsetting narrate every step at INFO
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
