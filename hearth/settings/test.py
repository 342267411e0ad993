import os

from .base import *  # noqa: F403
from .base import BASE_DIR, database_from_env

DATABASES = {"default": database_from_env(BASE_DIR / "var" / "test.sqlite3")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # One file per test process, so two runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-run-{os.getpid()}.sqlite3")}
# Fast hashing keeps the suite quick; production hashing is argon2 (asserted in tests).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_ENABLED = True
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploaded files go to a throwaway folder per test process.
MEDIA_ROOT = BASE_DIR / "var" / f"test-media-{os.getpid()}"
# Test councils freeze two month ends, not 24: enough for "as reported vs now", a fraction of the time.
HEARTH_DEMO_INDICATOR_MONTHS = 2
# Test councils leave out a year of audits and supervision unless a test asks (their own tests seed them).
HEARTH_DEMO_QUALITY = False
