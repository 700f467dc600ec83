"""Local use (make demo, runserver): the base settings, with static files served straight from the
source folders (no manifest to build first)."""

from .base import *  # noqa: F403
from .base import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# On a laptop, WhiteNoise looks files up when asked instead of indexing every static file (about
# 1,400 with the admin, API docs and country flags) at process start: start-up is 0.5 s faster.
# Production (settings.production) keeps the index built once per process, with fingerprinted names.
WHITENOISE_AUTOREFRESH = True
