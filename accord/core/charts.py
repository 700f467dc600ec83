"""Charts rendered on the server as inline SVG with pygal: no JavaScript, nothing fetched from a
third party. Each chart also carries a text alternative (`<title>`/`<desc>` and a caller-provided
data table on the page) for screen readers.

Callers pass plain labels and series; the result is safe markup to put into a template.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pygal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

# Series colours readable on light and dark backgrounds (the page's text colour is inherited).
PALETTE = ("#2f6fde", "#e07b00", "#2e9e5b", "#c23b6a", "#7a5cd6", "#8a8f98", "#00a0b0", "#b58900")

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="currentColor",
    foreground_strong="currentColor",
    foreground_subtle="rgba(128,128,128,.35)",
    font_family="inherit",
    colors=PALETTE,
    opacity=".85",
    opacity_hover="1",
    transition="0ms",
)

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


@dataclass
class Series:
    """One named line or set of bars; `None` values leave a gap."""

    title: str
    values: Sequence[float | None]
    options: dict = field(default_factory=dict)


def _config(**overrides) -> dict:
    config = {
        "js": [],  # pygal's default loads a script from a CDN
        "disable_xml_declaration": True,
        "explicit_size": False,
        "width": 800,
        "height": 320,
        "style": STYLE,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 4,
        "show_y_guides": True,
        "truncate_legend": 40,
        "truncate_label": 14,
        "print_values": False,
        "margin": 10,
    }
    config.update(overrides)
    return config


def _render(chart, title: str, description: str) -> SafeString:
    # pygal writes its configuration as an inline script for its (unused) tooltips: dropped.
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    # A title and description as the first children make the SVG announce itself.
    head = f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    svg = svg.replace(">", f' role="img" aria-label="{escape(title)}">{head}', 1)
    return mark_safe(svg)  # noqa: S308 - pygal escapes labels; title/desc escaped above


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    description: str = "",
    value_formatter=None,
    **options,
) -> SafeString:
    """A line chart over `labels` (e.g. periods), one line per series."""
    chart = pygal.Line(**_config(x_label_rotation=0, show_minor_x_labels=True, **options))
    chart.x_labels = list(labels)
    if value_formatter is not None:
        chart.value_formatter = value_formatter
    for s in series:
        chart.add(s.title, list(s.values), **s.options)
    return _render(chart, title, description or title)


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    description: str = "",
    value_formatter=None,
    stacked: bool = False,
    horizontal: bool = False,
    **options,
) -> SafeString:
    """A bar chart (grouped, or stacked), vertical or horizontal."""
    kind = {
        (False, False): pygal.Bar,
        (True, False): pygal.StackedBar,
        (False, True): pygal.HorizontalBar,
        (True, True): pygal.HorizontalStackedBar,
    }[(stacked, horizontal)]
    chart = kind(**_config(**options))
    chart.x_labels = list(labels)
    if value_formatter is not None:
        chart.value_formatter = value_formatter
    for s in series:
        chart.add(s.title, list(s.values), **s.options)
    return _render(chart, title, description or title)


def xy_chart(
    *,
    title: str,
    series: Sequence[Series],
    description: str = "",
    x_title: str = "",
    y_title: str = "",
    xrange: tuple[float, float] | None = None,
    yrange: tuple[float, float] | None = None,
    value_formatter=None,
    **options,
) -> SafeString:
    """Points at (x, y), one series each; a series' points are joined in order (`stroke`, on by
    default) — e.g. an earlier and a current position. A value may be a dict in pygal's form
    (`{"value": (x, y), "node": {"r": 6}, "label": "…"}`) to size or label one point."""
    config = _config(stroke=True, x_title=x_title or None, y_title=y_title or None, **options)
    if xrange is not None:
        config["xrange"] = xrange
    if yrange is not None:
        config["range"] = yrange
    chart = pygal.XY(**config)
    if value_formatter is not None:
        chart.value_formatter = value_formatter
    for s in series:
        chart.add(s.title, list(s.values), **s.options)
    return _render(chart, title, description or title)
