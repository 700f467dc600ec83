"""Local use (make demo, runserver): the base settings, with static files served straight from the
source folders (no manifest to build first)."""

from .base import *  # noqa: F403
from .base import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
