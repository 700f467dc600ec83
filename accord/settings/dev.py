"""Local use (make demo): the base settings, nothing loosened but what a laptop needs."""

from .base import *  # noqa: F403
