from .base import *  # noqa: F403

DEBUG = True

# Serve static files straight from the build folder; collectstatic is for production.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
