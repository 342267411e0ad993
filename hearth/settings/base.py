"""Settings shared by every environment. Environment modules override, never the reverse."""

from __future__ import annotations

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("HEARTH_SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = False
ALLOWED_HOSTS: list[str] = os.environ.get("HEARTH_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

# Branding: the council's own name and colour; never the crown or GDS Transport.
HEARTH_COUNCIL_NAME = os.environ.get("HEARTH_COUNCIL_NAME", "Nottingham City Council")
HEARTH_COUNCIL_COLOUR = os.environ.get("HEARTH_COUNCIL_COLOUR", "#1d4f91")
if not re.fullmatch(r"#[0-9a-fA-F]{6}", HEARTH_COUNCIL_COLOUR):
    # It is written into the page's style: only a plain hex colour may get there.
    raise ImproperlyConfigured("HEARTH_COUNCIL_COLOUR must be a hex colour such as #1d4f91")
HEARTH_SERVICE_NAME = "Hearth"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "hearth.tenancy",
    "hearth.audit",
    "hearth.accounts",
    "hearth.clocks",
    "hearth.people",
    "hearth.allocations",
    "hearth.access",
    "hearth.workspace",
    "hearth.chronology",
    "hearth.search",
    "hearth.matching",
    "hearth.cin",
    "hearth.front_door",
    "hearth.portal",
    "hearth.protection",
    "hearth.oversight",
    "hearth.worktrays",
    "hearth.fostering",
    "hearth.care",
    "hearth.care_plans",
    "hearth.care_leavers",
    "hearth.missing",
    "hearth.education",
    "hearth.returns",
    "hearth.indicators",
    "hearth.case_audits",
    "hearth.supervision",
    "hearth.workforce",
    "hearth.training",
    "hearth.finance",
    "hearth.improvement",
    "hearth.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hearth.portal.middleware.PartnerConfinementMiddleware",
    "hearth.workspace.middleware.PrivatePagesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hearth.accounts.middleware.SecondFactorRequiredMiddleware",
    "hearth.audit.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hearth.urls"
WSGI_APPLICATION = "hearth.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "hearth.workspace.context_processors.shell",
            ],
        },
    }
]


def database_from_env(default_sqlite_path: Path) -> dict:
    """SQLite in WAL mode unless DATABASE_URL names another server."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(default_sqlite_path),
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so a read-check-write in one
            # transaction (optimistic concurrency) cannot interleave with another writer.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
            ),
        },
    }


DATABASES = {"default": database_from_env(BASE_DIR / "var" / "hearth.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:my_work"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor: production requires a confirmed TOTP device for every member of staff.
HEARTH_REQUIRE_TWO_FACTOR = False
OTP_TOTP_ISSUER = "Hearth"

# Lockout after repeated failures, per username and per address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Idle timeout: the browser warns two minutes before and saves drafts first.
SESSION_COOKIE_AGE = int(os.environ.get("HEARTH_IDLE_TIMEOUT_SECONDS", 30 * 60))
HEARTH_IDLE_WARNING_SECONDS = 120
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

HEARTH_BREAK_GLASS_HOURS = 12

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Uploaded documents (referral attachments). Never served as static files: only through
# views that check who may see them and log the access.
MEDIA_ROOT = Path(os.environ.get("HEARTH_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/documents/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

from csp.constants import NONCE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

# Personal data never goes to stdout: only our own loggers at INFO, no request bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "hearth": {"handlers": ["console"], "level": "INFO"},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Month ends the synthetic council freezes as indicator snapshots (24 gives every trend its two years).
HEARTH_DEMO_INDICATOR_MONTHS = 24
# Whether the synthetic council gets a year of case audits and supervision.
HEARTH_DEMO_QUALITY = True
