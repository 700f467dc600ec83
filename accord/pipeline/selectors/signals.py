"""Reads of market signals, visibility applied: the list, a signal's page, an organization's
recent signals, the topics in use, and the trend view's numbers.

The trend numbers are counted by the database (GROUP BY topic, direction, industry and the month
or quarter of `observed_on`); Python only arranges the few aggregated rows into tables, so the
cost does not grow with the number of signals beyond the one indexed scan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Case, Count, Prefetch, QuerySet, Value, When
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils import timezone

from accord.core import visibility
from accord.intelligence.engine.periods import add_months
from accord.intelligence.engine.periods import period_start as calendar_period_start
from accord.interactions.models import Interaction, InteractionOrganization, InteractionPerson
from accord.parties.choices import Industry
from accord.parties.models import Organization, Person

from ..choices import SignalDirection
from ..models import MarketSignal

MONTH = "month"
QUARTER = "quarter"
PERIODS = (MONTH, QUARTER)
DEFAULT_MONTHS = 12
CHART_TOPICS = 6
TABLE_TOPICS = 30
TOPIC_SUGGESTIONS = 300
ORGANIZATION_SIGNALS = 10


# --- lists ---------------------------------------------------------------------------------------
def market_signal_list(user: Any) -> QuerySet[MarketSignal]:
    """Visible signals with owner and team; each with `visible_organizations` (those of its
    organizations the user may see, by name)."""
    organizations = Organization.objects.visible_to(user).only("id", "name").order_by("name")
    return (
        MarketSignal.objects.visible_to(user)
        .select_related("owner", "team")
        .prefetch_related(
            Prefetch("organizations", queryset=organizations, to_attr="visible_organizations")
        )
    )


def market_signal_api_list(user: Any) -> QuerySet[MarketSignal]:
    """Visible signals with the ids of the linked records the user may see (for the API)."""
    return (
        MarketSignal.objects.visible_to(user)
        .select_related("owner", "team")
        .prefetch_related(
            Prefetch(
                "organizations",
                queryset=Organization.objects.visible_to(user).only("id"),
                to_attr="visible_organizations",
            ),
            Prefetch(
                "people",
                queryset=Person.objects.visible_to(user).only("id"),
                to_attr="visible_people",
            ),
            Prefetch(
                "interactions",
                queryset=Interaction.objects.visible_to(user).only("id"),
                to_attr="visible_interactions",
            ),
        )
        .order_by("-observed_on", "-id")
    )


def market_signal_detail(user: Any, signal: MarketSignal) -> dict[str, Any]:
    """What the signal's page shows: the linked records the user may see (and how many others
    there are that they may not), and the opportunity it became, if the user may see it."""
    ctx: dict[str, Any] = {}
    for name, model, order in (
        ("organizations", Organization, ("name", "id")),
        ("people", Person, ("last_name", "first_name", "id")),
        ("interactions", Interaction, ("-occurred_at", "-id")),
    ):
        linked = getattr(signal, name).order_by(*order)
        if name == "people":
            linked = linked.select_related("organization")
        rows = list(linked.annotate(_shown=_visible_flag(model, user)))
        ctx[name] = [row for row in rows if row._shown]
        ctx[f"hidden_{name}"] = len(rows) - len(ctx[name])
    opportunity = None
    if signal.opportunity_id is not None:
        from .opportunities import opportunity_list

        opportunity = opportunity_list(user).filter(pk=signal.opportunity_id).first()
    ctx["opportunity"] = opportunity
    ctx["opportunity_hidden"] = signal.opportunity_id is not None and opportunity is None
    return ctx


def _visible_flag(model: Any, user: Any) -> Any:
    """An annotation: whether the user may see the row (one query for seen and unseen rows)."""
    q = visibility.visibility_q(model, user)
    if not q:  # sees everything
        return Value(True, output_field=BooleanField())
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def signals_of_organization(user: Any, organization: Any) -> list[MarketSignal]:
    """The organization's most recent signals the user may see (for the organization page)."""
    pk = getattr(organization, "pk", organization)
    return list(
        MarketSignal.objects.visible_to(user)
        .filter(organizations=pk)
        .order_by("-observed_on", "-id")[:ORGANIZATION_SIGNALS]
    )


def signals_of_opportunity(user: Any, opportunity: Any) -> list[MarketSignal]:
    """The visible signals that were turned into this opportunity."""
    pk = getattr(opportunity, "pk", opportunity)
    return list(
        MarketSignal.objects.visible_to(user).filter(opportunity=pk).order_by("-observed_on")
    )


def signal_prefill(
    user: Any,
    *,
    organizations: Sequence[int] = (),
    people: Sequence[int] = (),
    interactions: Sequence[int] = (),
) -> dict[str, Any]:
    """Initial values of a new signal recorded from another page: the given organizations,
    people and interactions the user may see; an interaction brings its organizations, people
    and date; the industry is the first organization's."""
    initial: dict[str, Any] = {}
    org_ids, person_ids = list(organizations), list(people)
    if interactions:
        found = list(
            Interaction.objects.visible_to(user)
            .filter(pk__in=list(interactions))
            .only("id", "occurred_at")
        )
        if found:
            initial["interactions"] = [i.pk for i in found]
            initial["observed_on"] = timezone.localdate(found[0].occurred_at)
            links = InteractionOrganization.objects.filter(interaction__in=found)
            org_ids += list(links.values_list("organization_id", flat=True))
            people_links = InteractionPerson.objects.filter(interaction__in=found)
            person_ids += list(people_links.values_list("person_id", flat=True))
    if org_ids:
        rows = list(
            Organization.objects.visible_to(user)
            .filter(pk__in=set(org_ids))
            .order_by("name")
            .values_list("pk", "industry")
        )
        if rows:
            initial["organizations"] = [pk for pk, _industry in rows]
            industries = [industry for _pk, industry in rows if industry]
            if industries:
                initial["industry"] = industries[0]
    if person_ids:
        visible = Person.objects.visible_to(user).filter(pk__in=set(person_ids))
        found_people = list(visible.values_list("pk", flat=True))
        if found_people:
            initial["people"] = found_people
    return initial


def topic_suggestions(user: Any) -> list[str]:
    """The distinct topics of the signals the user may see, alphabetically (for the topic box)."""
    if not visibility.is_authenticated(user):
        return []
    rows = (
        MarketSignal.objects.visible_to(user)
        .order_by("topic")
        .values_list("topic", flat=True)
        .distinct()
    )
    return list(rows[:TOPIC_SUGGESTIONS])


def interaction_choices(user: Any, q: str, limit: int = 20) -> list[Interaction]:
    """Visible interactions whose subject holds every typed word, newest first (for the search
    box of the signal form's interactions field)."""
    words = q.split()[:5]
    if not words or not visibility.is_authenticated(user):
        return []
    qs = Interaction.objects.visible_to(user)
    for word in words:
        qs = qs.filter(subject__icontains=word)
    return list(qs.only("id", "subject", "occurred_at").order_by("-occurred_at", "-id")[:limit])


# --- trends --------------------------------------------------------------------------------------
def period_start(day: dt.date, period: str) -> dt.date:
    return calendar_period_start(QUARTER if period == QUARTER else MONTH, day)


def period_starts(start: dt.date, end: dt.date, period: str) -> list[dt.date]:
    """The first days of the months (quarters) from the one holding `start` to the one holding
    `end`."""
    step = 3 if period == QUARTER else 1
    current, last = period_start(start, period), period_start(end, period)
    out = []
    while current <= last:
        out.append(current)
        current = add_months(current, step)
    return out


def period_label(day: dt.date, period: str) -> str:
    """ "2025-03", or "2025 Q1"."""
    if period == QUARTER:
        return f"{day.year} Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def default_window(today: dt.date, period: str = MONTH) -> tuple[dt.date, dt.date]:
    """The last twelve months (or four quarters) up to today, whole periods from the start."""
    months = DEFAULT_MONTHS if period == MONTH else 12
    start = add_months(period_start(today, period), -(months - (3 if period == QUARTER else 1)))
    return start, today


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


@dataclass
class TopicTrend:
    """One topic's count in the window, in the window before it (as long), and the change."""

    topic: str
    count: int
    previous: int

    @property
    def change(self) -> int:
        return self.count - self.previous

    @property
    def change_percent(self) -> int | None:
        """Rounded per cent of the previous count; None when there was none before."""
        if not self.previous:
            return None
        return round(100 * (self.count - self.previous) / self.previous)

    @property
    def trend(self) -> str:
        """ "rising", "falling" or "steady"."""
        if self.count > self.previous:
            return "rising"
        if self.count < self.previous:
            return "falling"
        return "steady"


@dataclass
class SignalTrends:
    """The numbers of the trend view: per topic and period, per direction and period, the top
    topics with their change, and topic × industry."""

    period: str
    start: dt.date
    end: dt.date
    previous_start: dt.date
    previous_end: dt.date
    periods: list[dt.date]
    labels: list[str]
    total: int
    previous_total: int
    topics: list[TopicTrend]  # by count in the window, descending (then by name)
    topic_series: dict[str, list[int]]  # topic → count per period (the charted topics)
    other_series: list[int]  # the rest of the topics, per period
    direction_series: dict[str, list[int]]  # direction value → count per period
    industries: list[str]  # industry values present, by count descending ("" = none given)
    matrix: dict[str, dict[str, int]]  # topic → industry → count
    filters: dict[str, Any] = field(default_factory=dict)

    @property
    def chart_topics(self) -> list[str]:
        return list(self.topic_series)

    @property
    def period_totals(self) -> list[int]:
        totals = [0] * len(self.periods)
        for values in self.direction_series.values():
            for i, n in enumerate(values):
                totals[i] += n
        return totals


def signal_trends(
    user: Any,
    *,
    period: str = MONTH,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
    industry: str = "",
    kind: str = "",
    direction: str = "",
    chart_topics: int = CHART_TOPICS,
    table_topics: int = TABLE_TOPICS,
) -> SignalTrends:
    """Signals the user may see, counted per topic over time (by month or quarter), by direction
    and by industry, in the window `start`–`end` (default: the last twelve months), and each
    topic's count in the window of the same length just before, to tell rising from falling."""
    period = period if period in PERIODS else MONTH
    today = today or timezone.localdate()
    end = end or today
    start = start or default_window(end, period)[0]
    if start > end:
        start, end = end, start
    length = (end - start).days + 1
    previous_end = start - dt.timedelta(days=1)
    previous_start = previous_end - dt.timedelta(days=length - 1)

    base = MarketSignal.objects.visible_to(user).order_by()
    if industry:
        base = base.filter(industry=industry)
    if kind:
        base = base.filter(kind=kind)
    if direction:
        base = base.filter(direction=direction)
    window = base.filter(observed_on__gte=start, observed_on__lte=end)
    trunc = TruncQuarter("observed_on") if period == QUARTER else TruncMonth("observed_on")

    periods = period_starts(start, end, period)
    index = {p: i for i, p in enumerate(periods)}

    # 1. topic × direction × period (one query: the rows are few, whatever the signal count)
    by_topic: dict[str, list[int]] = {}
    by_direction: dict[str, list[int]] = {d: [0] * len(periods) for d in SignalDirection.values}
    counts: dict[str, int] = {}
    rows = (
        window.annotate(period=trunc)
        .values_list("topic", "direction", "period")
        .annotate(n=Count("id"))
    )
    for topic, signal_direction, bucket, n in rows:
        i = index.get(_as_date(bucket))
        if i is None:
            continue
        by_topic.setdefault(topic, [0] * len(periods))[i] += n
        by_direction.setdefault(signal_direction, [0] * len(periods))[i] += n
        counts[topic] = counts.get(topic, 0) + n

    # 2. each topic's count in the previous window
    previous = dict(
        base.filter(observed_on__gte=previous_start, observed_on__lte=previous_end)
        .values_list("topic")
        .annotate(n=Count("id"))
        .values_list("topic", "n")
    )
    trends = [
        TopicTrend(topic=t, count=counts.get(t, 0), previous=previous.get(t, 0))
        for t in set(counts) | set(previous)
    ]
    trends.sort(key=lambda t: (-t.count, -t.previous, t.topic.casefold()))

    # 3. topic × industry in the window
    matrix: dict[str, dict[str, int]] = {}
    per_industry: dict[str, int] = {}
    for topic, signal_industry, n in (
        window.values_list("topic", "industry")
        .annotate(n=Count("id"))
        .values_list("topic", "industry", "n")
    ):
        matrix.setdefault(topic, {})[signal_industry or ""] = n
        per_industry[signal_industry or ""] = per_industry.get(signal_industry or "", 0) + n
    industries = sorted(per_industry, key=lambda i: (-per_industry[i], i == "", i))

    charted = [t.topic for t in trends if t.count][:chart_topics]
    other = [0] * len(periods)
    for topic, values in by_topic.items():
        if topic not in charted:
            for i, n in enumerate(values):
                other[i] += n
    shown = [t for t in trends if t.count or t.previous][:table_topics]
    return SignalTrends(
        period=period,
        start=start,
        end=end,
        previous_start=previous_start,
        previous_end=previous_end,
        periods=periods,
        labels=[period_label(p, period) for p in periods],
        total=sum(counts.values()),
        previous_total=sum(previous.values()),
        topics=shown,
        topic_series={t: by_topic[t] for t in charted},
        other_series=other,
        direction_series=by_direction,
        industries=industries,
        matrix={t.topic: matrix.get(t.topic, {}) for t in shown if t.count},
        filters={"industry": industry, "kind": kind, "direction": direction},
    )


def industry_label(value: str) -> str:
    from django.utils.translation import gettext as _

    if not value:
        return str(_("No industry given"))
    return str(dict(Industry.choices).get(value, value))
