"""Time in stage: how long deals sit in each open stage, and which are stuck there now.

From the recorded stage changes: a deal's stay in a stage lasts from the change into it to its
next change (window function `LEAD`), or until now while it is still there. For the deals that
entered a stage in the chosen period, the report gives per stage the number of deals, the median
and the average days (a deal that entered the same stage twice counts once, with both stays
added up), and how many deals sit in the stage now for longer than that average.

The arithmetic runs in the database, in one statement (SQLite ≥ 3.25 and PostgreSQL): the stays,
their days per deal, the median from the row numbers per stage. Won and lost stages are end points
and have no time in them. Only opportunities the user may see count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import Lead
from django.utils import timezone

from accord.core import visibility

from ..choices import StageKind
from ..models import Opportunity, Pipeline, Stage, StageChange


@dataclass
class StageTime:
    stage: Stage
    deals: int = 0
    median_days: float | None = None
    average_days: float | None = None
    stuck: int = 0  # in the stage now for longer than the average
    stuck_before: dt.date | None = None  # … that is, entered it before this day


@dataclass
class PipelineStageTimes:
    pipeline: Pipeline
    rows: list[StageTime] = field(default_factory=list)


def _no_change_since(when: dt.datetime) -> Any:
    """No stage change on or after `when`: the deal entered its current stage before then (an
    opportunity without recorded changes counts too). A correlated NOT EXISTS on the
    opportunity's own changes, answered by the index on `opportunity`."""
    return ~Exists(StageChange.objects.filter(opportunity=OuterRef("pk"), changed_at__gte=when))


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the current time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _days_sql(vendor: str) -> str:
    if vendor == "sqlite":
        return "(julianday(COALESCE(ended, %s)) - julianday(started))"
    if vendor == "postgresql":
        return "(EXTRACT(EPOCH FROM (COALESCE(ended, %s) - started)) / 86400.0)"
    raise NotImplementedError(f"time in stage is computed on SQLite and PostgreSQL, not {vendor}")


def _stay_statistics(
    user: Any, pipeline_ids: list[int], since: dt.datetime, until: dt.datetime, now: dt.datetime
) -> dict[int, tuple[int, float, float]]:
    """{stage id: (deals, average days, median days)} for stays that began in [since, until)."""
    # Changes since the period's start are enough: the next change after one of them is later.
    stays = (
        StageChange.objects.visible_to(user)
        .filter(opportunity__pipeline_id__in=pipeline_ids, changed_at__gte=since)
        .order_by()
        .annotate(
            stage_ref=F("to_stage_id"),
            opp_ref=F("opportunity_id"),
            started=F("changed_at"),
            ended=Window(
                Lead("changed_at"),
                partition_by=[F("opportunity_id")],
                order_by=[F("changed_at").asc(), F("id").asc()],
            ),
        )
        .values("stage_ref", "opp_ref", "started", "ended")
    )
    inner, inner_params = stays.query.sql_with_params()
    ops = connection.ops
    sql = f"""
        WITH stays AS ({inner}),
        deal_days AS (
            SELECT stage_ref, opp_ref, SUM({_days_sql(connection.vendor)}) AS days
            FROM stays WHERE started < %s
            GROUP BY stage_ref, opp_ref
        ),
        ranked AS (
            SELECT stage_ref, days,
                   ROW_NUMBER() OVER (PARTITION BY stage_ref ORDER BY days) AS rn,
                   COUNT(*) OVER (PARTITION BY stage_ref) AS n
            FROM deal_days
        )
        SELECT stage_ref, MAX(n), AVG(days),
               AVG(CASE WHEN rn = (n + 1) / 2 OR rn = (n + 2) / 2 THEN days END)
        FROM ranked GROUP BY stage_ref
    """  # noqa: S608 - the inner query and the expression are ours; values are parameters
    params = [
        *inner_params,
        ops.adapt_datetimefield_value(now),
        ops.adapt_datetimefield_value(until),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            stage: (int(n), float(average), float(median))
            for stage, n, average, median in cursor.fetchall()
        }


def _stuck_counts(user: Any, thresholds: dict[int, dt.datetime]) -> dict[int, int]:
    """{stage id: deals in it now that entered it before the stage's threshold} (one query)."""
    if not thresholds:
        return {}
    condition = reduce(
        or_, (Q(stage_id=pk) & _no_change_since(when) for pk, when in thresholds.items())
    )
    return dict(
        Opportunity.objects.visible_to(user)
        .filter(stage_id__in=list(thresholds))
        .filter(condition)
        .order_by()
        .values("stage_id")
        .annotate(n=Count("id"))
        .values_list("stage_id", "n")
    )


def stage_times(
    user: Any,
    *,
    pipelines: Sequence[Pipeline],
    start: dt.date,
    end: dt.date,
    now: dt.datetime | None = None,
) -> list[PipelineStageTimes]:
    """The open stages of each pipeline with their time-in-stage figures (two queries plus
    one for the stages)."""
    if not visibility.is_authenticated(user) or not pipelines:
        return []
    now = now or timezone.now()
    pipeline_ids = [p.pk for p in pipelines]
    stages = list(
        Stage.objects.filter(pipeline_id__in=pipeline_ids, kind=StageKind.OPEN).order_by(
            "order", "id"
        )
    )
    stats = _stay_statistics(
        user,
        pipeline_ids,
        since=start_of_day(start),
        until=start_of_day(end + dt.timedelta(days=1)),
        now=now,
    )
    today = timezone.localdate(now)
    result = {p.pk: PipelineStageTimes(pipeline=p) for p in pipelines}
    thresholds: dict[int, dt.datetime] = {}
    for stage in stages:
        row = StageTime(stage=stage)
        if stage.pk in stats:
            row.deals, row.average_days, row.median_days = stats[stage.pk]
            # day granularity, so that the count matches the list it links to
            row.stuck_before = today - dt.timedelta(days=int(row.average_days))
            thresholds[stage.pk] = start_of_day(row.stuck_before)
        result[stage.pipeline_id].rows.append(row)
    stuck = _stuck_counts(user, thresholds)
    for entry in result.values():
        for row in entry.rows:
            row.stuck = stuck.get(row.stage.pk, 0)
    return [result[p.pk] for p in pipelines]


def opportunities_in_stage_before(
    queryset: QuerySet[Opportunity], day: dt.date
) -> QuerySet[Opportunity]:
    """The opportunities of `queryset` that entered their current stage before `day` (the list
    filter the report's "stuck" figures link to)."""
    return queryset.filter(_no_change_since(start_of_day(day)))
