"""Supplier scorecards: the configuration (criteria, weights, standings), computing the scores
and what a supplier's standing means for new orders.

Rules (each refused with a message naming the field):

* only administrators and managers change criteria and standings;
* the weights of the active criteria sum to 100 %; otherwise the change is refused with the sum
  shown, unless the caller asks to normalise them (scaled to 100 %). The computation always
  normalises the active weights, so a score is right even while they do not sum up;
* the standings cover 0–100 without gaps or overlaps, each from below to;
* a score is computed per supplier and period (month or quarter) from the facts of that period;
  a criterion without data is left out and the others' weights renormalised (recorded in
  `SupplierScore.left_out`); recomputing replaces the period's snapshot;
* a supplier whose latest score falls in a standing that blocks new orders gets none
  (`ordering_block_reason`, checked by `purchase_order_create`); one in a standing that warns
  shows a warning on the order pages (`ordering_warning`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core import visibility
from accord.core.jobs import start_job
from accord.core.models import Job
from accord.intelligence.engine import periods
from accord.intelligence.engine import scorecard as engine

from ..models import (
    CriterionCode,
    ScorecardCriterion,
    ScorecardStanding,
    ScorePeriod,
    StandingAction,
    SupplierScore,
)
from ..models.scorecards import DEFAULT_CRITERIA, DEFAULT_STANDINGS
from ..selectors import scorecards as selectors

RECOMPUTE_JOB = "procurement.recompute_scores"
CRITERION_FIELDS = (
    "order",
    "tolerance_percent",
    "target_hours",
    "limit_hours",
    "issue_limit",
    "description",
)


def require_configurator(actor: Any) -> None:
    if actor is not None and not selectors.may_configure(actor):
        raise PermissionDenied(
            _("Only administrators and managers change the scorecard configuration.")
        )


def restore_scorecard_configuration() -> None:
    """The shipped criteria and standings, as the data migration creates them (for tests that
    flush the database, and to reset the configuration): missing criteria are added, the
    standings replaced when they do not cover 0–100."""
    with transaction.atomic():
        for row in DEFAULT_CRITERIA:
            ScorecardCriterion.objects.get_or_create(
                code=row["code"], defaults={"weight": row["weight"], "order": row["order"]}
            )
        current = list(ScorecardStanding.objects.all())
        if not current or engine.band_problems([engine.Band(s.low, s.high) for s in current]):
            ScorecardStanding.objects.all().delete()
            for row in DEFAULT_STANDINGS:
                ScorecardStanding.objects.create(**row)


# --- criteria --------------------------------------------------------------------------------
def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return None if number.is_nan() else number


def _percent(value: Decimal) -> str:
    """95, 95.5 or 95.25 (no trailing zeros)."""
    return f"{value.quantize(Decimal('0.01')).normalize():f}"


def criterion_update(
    *, actor: Any, instance: ScorecardCriterion, data: Mapping[str, Any]
) -> ScorecardCriterion:
    """The formula parameters and description of one criterion (weights and active flags are
    changed together, with `criteria_weights_update`)."""
    require_configurator(actor)
    values = {k: v for k, v in data.items() if k in CRITERION_FIELDS}
    if values.get("description") is None:
        values.pop("description", None)
    target = _decimal(values.get("target_hours", instance.target_hours))
    limit = _decimal(values.get("limit_hours", instance.limit_hours))
    if target is not None and limit is not None and limit <= target:
        raise ValidationError(
            {"limit_hours": _("The reply limit must be more hours than the reply target.")}
        )
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=values)


def criteria_weights_update(
    *,
    actor: Any,
    weights: Mapping[str, Any],
    active: Mapping[str, Any] | None = None,
    normalise: bool = False,
) -> list[ScorecardCriterion]:
    """Set the weights (by criterion code, in %) and which criteria are active, all at once.

    The active weights must sum to 100 %: otherwise refused with the sum, or — `normalise` —
    scaled to 100 %. At least one criterion stays active."""
    require_configurator(actor)
    with transaction.atomic():
        return _weights_update(actor, weights, active, normalise)


def _weights_update(
    actor: Any, weights: Mapping[str, Any], active: Mapping[str, Any] | None, normalise: bool
) -> list[ScorecardCriterion]:
    criteria = {c.code: c for c in ScorecardCriterion.objects.select_for_update().order_by("id")}
    new_weights: dict[str, Decimal] = {}
    for code, raw in weights.items():
        if code not in criteria:
            raise ValidationError({"weight": _("Unknown criterion “%(code)s”.") % {"code": code}})
        value = _decimal(raw)
        if value is None or value < 0 or value > 100:
            raise ValidationError(
                {
                    "weight": _("The weight of “%(criterion)s” must be a number from 0 to 100.")
                    % {"criterion": criteria[code]}
                }
            )
        new_weights[code] = value
    flags = {code: c.active for code, c in criteria.items()}
    for code, raw in (active or {}).items():
        if code in flags:
            flags[code] = bool(raw)
    final = {code: new_weights.get(code, c.weight) for code, c in criteria.items()}
    active_codes = [code for code in criteria if flags[code]]
    if not active_codes:
        raise ValidationError({"active": _("Keep at least one criterion active.")})
    total = engine.weight_sum(final[c] for c in active_codes)
    if not engine.weights_are_complete(final[c] for c in active_codes):
        if not normalise:
            raise ValidationError(
                {
                    "weight": _(
                        "The weights of the active criteria sum to %(sum)s %%; they must sum "
                        "to 100 %%. Correct them, or save with “Normalise” to scale them to "
                        "100 %%."
                    )
                    % {"sum": _percent(total)}
                }
            )
        scaled = engine.normalise_weights({c: final[c] for c in active_codes})
        final.update(scaled)
    saved = []
    for code, criterion in criteria.items():
        changes: dict[str, Any] = {}
        if final[code] != criterion.weight:
            changes["weight"] = final[code]
        if flags[code] != criterion.active:
            changes["active"] = flags[code]
        if changes:
            core.model_update(criterion, actor=actor, data=changes)
        saved.append(criterion)
    return saved


# --- standings -------------------------------------------------------------------------------
def _band_message(kind: str, low: float, high: float) -> str:
    values = {"from": f"{low:g}", "to": f"{high:g}"}
    if kind == "gap":
        return _("No standing covers the scores from %(from)s to %(to)s.") % values
    if kind == "overlap":
        return _("Two standings overlap between %(from)s and %(to)s.") % values
    return _("The standing from %(from)s to %(to)s must end above where it starts.") % values


def standings_replace(*, actor: Any, rows: Iterable[Mapping[str, Any]]) -> list[ScorecardStanding]:
    """Set all standings at once: each row {id (to change an existing one, else new), low, high,
    label, action}; existing standings not named are deleted (scores keep their label). The
    bands must cover 0–100 without gaps or overlaps."""
    require_configurator(actor)
    cleaned: list[dict[str, Any]] = []
    for index, row in enumerate(rows, start=1):
        low, high = _decimal(row.get("low")), _decimal(row.get("high"))
        label = str(row.get("label") or "").strip()
        action = row.get("action") or StandingAction.NONE
        if low is None or high is None or not (0 <= low <= 100 and 0 <= high <= 100):
            raise ValidationError(
                {"low": _("Row %(n)d: enter scores from 0 to 100.") % {"n": index}}
            )
        if not label:
            raise ValidationError({"label": _("Row %(n)d: enter a label.") % {"n": index}})
        if action not in StandingAction.values:
            raise ValidationError({"action": _("Row %(n)d: choose an action.") % {"n": index}})
        cleaned.append(
            {"id": row.get("id"), "low": low, "high": high, "label": label, "action": action}
        )
    problems = engine.band_problems([engine.Band(r["low"], r["high"]) for r in cleaned])
    if problems:
        raise ValidationError({"low": [_band_message(*p) for p in problems]})
    with transaction.atomic():
        existing = {s.pk: s for s in ScorecardStanding.objects.select_for_update()}
        kept: list[ScorecardStanding] = []
        for row in cleaned:
            pk = row.pop("id", None)
            try:
                instance = existing.pop(int(pk)) if pk not in (None, "") else None
            except (KeyError, TypeError, ValueError):
                instance = None
            if instance is None:
                kept.append(core.model_create(ScorecardStanding, actor=actor, data=row))
            else:
                kept.append(core.model_update(instance, actor=actor, data=row))
        for stale in existing.values():
            core.model_delete(stale, actor=actor)
    return sorted(kept, key=lambda s: s.low)


# --- computing -------------------------------------------------------------------------------
def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def compute_scores(
    *,
    kind: str,
    start: dt.date,
    supplier_ids: Iterable[int] | None = None,
    now: dt.datetime | None = None,
) -> list[SupplierScore]:
    """Compute and store the scores of the suppliers (default: every scored supplier) for the
    period, replacing the period's earlier snapshots. A system write (jobs, demo, recompute)."""
    kind = selectors.period_kind(kind)
    if not periods.is_period_start(kind, start):
        raise ValidationError(
            {
                "start": _("%(date)s is not the first day of a %(kind)s.")
                % {"date": start.isoformat(), "kind": ScorePeriod(kind).label}
            }
        )
    now = now or timezone.now()
    ids = list(supplier_ids) if supplier_ids is not None else selectors.scored_supplier_ids()
    criteria = list(ScorecardCriterion.objects.filter(active=True).order_by("order", "id"))
    weights = {c.code: c.weight for c in criteria}
    standings = list(ScorecardStanding.objects.order_by("low"))
    bands = [engine.Band(s.low, s.high, s) for s in standings]
    facts = selectors.supplier_facts(kind, start, ids, now=now)
    rows: list[SupplierScore] = []
    for supplier_id in ids:
        measured = selectors.measures(facts[supplier_id], criteria, now=now)
        total = engine.total_score({c: m.score for c, m in measured.items()}, weights)
        value = None if total.score is None else Decimal(str(total.score)).quantize(Decimal("0.01"))
        band = engine.band_for(value, bands)
        standing: ScorecardStanding | None = band.key if band else None  # type: ignore[assignment]
        rows.append(
            SupplierScore(
                supplier_id=supplier_id,
                period_kind=kind,
                period_start=start,
                total=value,
                standing=standing,
                standing_label=standing.label if standing else "",
                standing_action=standing.action if standing else "",
                criteria=[
                    {
                        "code": part.code,
                        "value": _rounded(measured[part.code].value),
                        "score": _rounded(part.score),
                        "weight": float(part.weight),
                        "effective_weight": (
                            None if part.effective_weight is None else float(part.effective_weight)
                        ),
                        "basis": measured[part.code].basis,
                    }
                    for part in total.parts
                ],
                left_out=list(total.left_out),
                computed_at=now,
            )
        )
    with transaction.atomic():
        SupplierScore.objects.filter(
            period_kind=kind, period_start=start, supplier_id__in=ids
        ).delete()
        SupplierScore.objects.bulk_create(rows, batch_size=500)
    return rows


def supplier_score_recompute(
    *, actor: Any, supplier: Any, kind: str, start: dt.date
) -> SupplierScore:
    """Recompute one (visible) supplier's score for one period, now."""
    core.require_write(actor)
    if actor is not None and not visibility.can_view(actor, supplier):
        raise PermissionDenied(_("You may not see this supplier."))
    kind = selectors.period_kind(kind)
    start = periods.period_start(kind, start)
    return compute_scores(kind=kind, start=start, supplier_ids=[supplier.pk])[0]


def recent_period_starts(today: dt.date) -> list[tuple[str, dt.date]]:
    """The last and the current month and quarter: what the periodic job recomputes."""
    out: list[tuple[str, dt.date]] = []
    for kind in (ScorePeriod.MONTH, ScorePeriod.QUARTER):
        current = periods.period_start(kind, today)
        out.append((kind, periods.add_months(current, -periods.MONTHS_IN[kind])))
        out.append((kind, current))
    return out


def recompute_periods(
    targets: Iterable[tuple[str, dt.date]],
    *,
    supplier_ids: Iterable[int] | None = None,
    progress: Callable[[int], None] | None = None,
    batch: int = 500,
) -> int:
    """Compute each (kind, start) for the suppliers, in batches; returns the scores written."""
    ids = list(supplier_ids) if supplier_ids is not None else selectors.scored_supplier_ids()
    written = 0
    now = timezone.now()
    for kind, start in targets:
        for offset in range(0, len(ids), batch):
            chunk = ids[offset : offset + batch]
            written += len(compute_scores(kind=kind, start=start, supplier_ids=chunk, now=now))
            if progress is not None:
                progress(len(chunk))
    return written


def start_recompute(*, actor: Any, kind: str = "", count: int = 2) -> Job:
    """Start a background job recomputing every supplier's scores of the last `count` periods
    of `kind` (both kinds when empty), with progress on the job page."""
    require_configurator(actor)
    count = max(1, min(int(count or 2), 24))
    kinds = [selectors.period_kind(kind)] if kind else [ScorePeriod.MONTH, ScorePeriod.QUARTER]
    return start_job(
        actor,
        RECOMPUTE_JOB,
        params={"kinds": kinds, "count": count},
        label=str(_("Recompute supplier scores")),
    )


# --- what a standing means for orders ----------------------------------------------------------
def _score_text(score: SupplierScore) -> dict[str, Any]:
    return {
        "supplier": score.supplier,
        "score": formats.number_format(score.total or 0, 1, use_l10n=True),
        "standing": score.standing_label,
        "period": score.period_label,
    }


def ordering_block_reason(supplier: Any) -> str | None:
    """Why no new order may go to the supplier, or None: its latest score's standing blocks."""
    score = selectors.latest_score(supplier)
    if score is None or score.standing_action != StandingAction.BLOCK:
        return None
    return _(
        "“%(supplier)s” scored %(score)s in %(period)s (“%(standing)s”): new orders are blocked "
        "until its score improves."
    ) % _score_text(score)


def ordering_warning(supplier: Any) -> str | None:
    """A warning for new orders to the supplier, or None: its latest score's standing warns."""
    score = selectors.latest_score(supplier)
    if score is None or score.standing_action != StandingAction.WARNING:
        return None
    return _(
        "“%(supplier)s” scored only %(score)s in %(period)s (“%(standing)s”); check its "
        "scorecard before ordering."
    ) % _score_text(score)


def check_supplier_standing(supplier: Any) -> None:
    """Refuse a new order to a supplier whose standing blocks orders (message names
    `supplier`)."""
    if supplier is None:
        return
    reason = ordering_block_reason(supplier)
    if reason:
        raise ValidationError({"supplier": reason})


__all__ = [
    "CriterionCode",
    "check_supplier_standing",
    "compute_scores",
    "criteria_weights_update",
    "criterion_update",
    "ordering_block_reason",
    "ordering_warning",
    "restore_scorecard_configuration",
    "standings_replace",
    "start_recompute",
    "supplier_score_recompute",
]
