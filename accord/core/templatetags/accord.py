"""Template helpers for the page shell: which menu entry is current, and the running version."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def current_menu_item(context) -> str:
    """The `url_name` of the menu entry the current page belongs to, or "".

    An entry is current when its view is the one shown, else when the page lies below the entry's
    URL (an organization's detail page belongs to "Organizations"); the longest such URL wins,
    and the site root only matches itself.
    """
    request = context.get("request")
    menu = context.get("accord_menu") or []
    if request is None:
        return ""
    match = getattr(request, "resolver_match", None)
    view_name = getattr(match, "view_name", None)
    best, best_len = "", 0
    for item in menu:
        if item.url_name == view_name:
            return item.url_name
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        if url != "/" and request.path.startswith(url) and len(url) > best_len:
            best, best_len = item.url_name, len(url)
    return best


@lru_cache(maxsize=1)
def _version() -> str:
    try:
        return metadata.version("accord")
    except metadata.PackageNotFoundError:
        pyproject = Path(__file__).resolve().parents[3] / "pyproject.toml"
        try:
            return tomllib.loads(pyproject.read_text())["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return ""


@register.simple_tag
def accord_version() -> str:
    """The installed Accord version (from the package metadata, else from pyproject.toml)."""
    return _version()
