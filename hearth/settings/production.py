"""Production: refuses to start unless the deployment is safe."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = os.environ.get("HEARTH_DEBUG", "").lower() in {"1", "true", "yes"}
SECRET_KEY = os.environ.get("HEARTH_SECRET_KEY", "")
HEARTH_REQUIRE_TWO_FACTOR = True

SESSION_COOKIE_SECURE = os.environ.get("HEARTH_INSECURE_COOKIES", "") == ""
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = os.environ.get("HEARTH_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def check_production_settings(settings: dict) -> list[str]:
    """Every reason this configuration is unsafe to run; empty when it is safe."""
    problems = []
    if settings["DEBUG"]:
        problems.append("DEBUG is on")
    secret = settings["SECRET_KEY"]
    if not secret or secret.startswith("insecure") or len(secret) < 50:
        problems.append("HEARTH_SECRET_KEY is missing, a default, or shorter than 50 characters")
    if settings["DATABASES"]["default"]["ENGINE"].endswith("sqlite3"):
        problems.append("the database is SQLite; set DATABASE_URL to a PostgreSQL server")
    if not (settings["SESSION_COOKIE_SECURE"] and settings["CSRF_COOKIE_SECURE"]):
        problems.append("session and CSRF cookies are not marked Secure")
    return problems


_problems = check_production_settings(globals())
if _problems:
    raise ImproperlyConfigured("Hearth refuses to start in production: " + "; ".join(_problems) + ".")
