"""The charts of the community pages (pygal SVG, with the numbers in a table beside them): the
power–interest grid and a stakeholder's assessments over time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accord.core.charts import Series, line_chart, xy_chart
from accord.intelligence.engine import salience as engine

from ..selectors.community import Grid

CHART_POINTS = 30  # more stakeholders than this: the table holds the rest
BOUNDARY = engine.HIGH - 0.5  # between "low" (1–2) and "high" (3–5)


def _offset(index: int) -> float:
    """A small shift so that stakeholders on the same cell do not hide each other."""
    return ((index % 5) - 2) * 0.08


def grid_chart(grid: Grid, *, title: str = "") -> Any:
    """Interest (x) against power (y): each stakeholder's current position (large dot), joined
    by a line to the earlier one (small dot) where there is one."""
    title = title or _("Power–interest grid")
    series: list[Series] = []
    for i, point in enumerate(grid.points[:CHART_POINTS]):
        dx, dy = _offset(i), _offset(i // 5)
        values: list[Any] = []
        earlier = point.earlier_position
        if earlier is not None and earlier != point.position:
            values.append(
                {
                    "value": (earlier[0] + dx, earlier[1] + dy),
                    "node": {"r": 3},
                    "label": _("earlier (%(date)s)")
                    % {"date": date_format(point.earlier.assessed_on, "SHORT_DATE_FORMAT")},  # type: ignore[union-attr]
                }
            )
        x, y = point.position
        values.append(
            {
                "value": (x + dx, y + dy),
                "node": {"r": 7},
                "label": _("current (%(date)s)")
                % {"date": date_format(point.current.assessed_on, "SHORT_DATE_FORMAT")},
            }
        )
        series.append(Series(point.name, values))
    guides = [(BOUNDARY, 0.5), (BOUNDARY, 5.5), None, (0.5, BOUNDARY), (5.5, BOUNDARY)]
    series.append(
        Series(
            _("Quadrant boundary"),
            guides,
            {"show_dots": False, "stroke_style": {"width": 1, "dasharray": "4, 4"}},
        )
    )
    return xy_chart(
        title=title,
        series=series,
        description=_(
            "Each stakeholder's interest (across) and power (up), 1 to 5; a line leads from the "
            "earlier assessment to the current one. The table below holds the same numbers."
        ),
        x_title=_("Interest"),
        y_title=_("Power"),
        xrange=(0.5, 5.5),
        yrange=(0.5, 5.5),
        height=460,
        allow_interruptions=True,
        legend_at_bottom_columns=3,
    )


def history_chart(rows: Sequence[Any]) -> Any:
    """Power, interest and attitude (−2 opposed … +2 strongly supportive) per assessment."""
    labels = [date_format(r.assessed_on, "SHORT_DATE_FORMAT") for r in rows]
    return line_chart(
        title=_("Assessments over time"),
        labels=labels,
        series=[
            Series(_("Power"), [r.power for r in rows]),
            Series(_("Interest"), [r.interest for r in rows]),
            Series(_("Attitude (−2 … +2)"), [r.attitude_score for r in rows]),
        ],
        description=_(
            "Power and interest (1–5) and the attitude (−2 opposed … +2 strongly supportive) at "
            "each assessment, oldest first."
        ),
        range=(-2, 5),
    )
