"""Recurring orders: the template and the job that orders each period once.

`create_due_recurring_orders` (run by the periodic job) creates, for every active recurring
order whose next date has come, one order per due period through `order_create`, advances the
next date, and tells the owner. The order carries (recurring order, period): a unique pair, so
a job that runs twice — or two workers at once — never orders a period twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core.notifications import notify
from accord.parties.models import Organization

from ..choices import IntervalUnit
from ..models import Order, RecurringOrder, RecurringOrderLine
from .common import check_reverse_charge, prepare_lines, require_visible
from .orders import order_create

MAX_PERIODS_PER_RUN = 60  # a template far in the past catches up at most this many periods


def add_interval(day: date, interval: int, unit: str) -> date:
    """The next period's date: n weeks, or n months on the same day (the month's last day
    when it is shorter)."""
    if unit == IntervalUnit.WEEKS:
        return day + timedelta(weeks=interval)
    month_index = day.month - 1 + interval
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _prepare(actor: Any, data: dict[str, Any], instance: RecurringOrder | None) -> dict[str, Any]:
    if "organization" in data:
        data["organization"] = require_visible(
            actor,
            Organization,
            data["organization"],
            "organization",
            _("Choose an organization you can see."),
        )
    if instance is None and data.get("organization") is None:
        raise ValidationError({"organization": _("Choose an organization.")})
    next_on = data.get("next_on", instance.next_on if instance else None)
    end_on = data.get("end_on", instance.end_on if instance else None)
    if next_on is None:
        raise ValidationError({"next_on": _("Enter the date of the next order.")})
    if end_on and end_on < next_on:
        raise ValidationError({"end_on": _("The end cannot be before the next order.")})
    return data


def recurring_order_create(*, actor: Any, data: Mapping[str, Any]) -> RecurringOrder:
    core.require_write(actor)
    data = dict(data)
    lines = data.pop("lines", None) or []
    _prepare(actor, data, None)
    prepared = prepare_lines(lines)
    check_reverse_charge(data["organization"], prepared, field="lines")
    with transaction.atomic():
        recurring = core.model_create(RecurringOrder, actor=actor, data=data)
        RecurringOrderLine.objects.bulk_create(
            [RecurringOrderLine(recurring=recurring, **line) for line in prepared]
        )
    return recurring


def recurring_order_update(
    *, actor: Any, instance: RecurringOrder, data: Mapping[str, Any]
) -> RecurringOrder:
    core.require_change(actor, instance)
    data = dict(data)
    lines = data.pop("lines", None)
    _prepare(actor, data, instance)
    with transaction.atomic():
        if lines is not None:
            prepared = prepare_lines(lines)
            check_reverse_charge(
                data.get("organization", instance.organization), prepared, field="lines"
            )
            instance.lines.all().delete()
            RecurringOrderLine.objects.bulk_create(
                [RecurringOrderLine(recurring=instance, **ln) for ln in prepared]
            )
        return core.model_update(instance, actor=actor, data=data)


def recurring_order_delete(*, actor: Any, instance: RecurringOrder) -> None:
    core.model_delete(instance, actor=actor)


def _order_period(recurring: RecurringOrder, period: date, lines: list[Any]) -> Order | None:
    if Order.objects.filter(recurring=recurring, recurring_period=period).exists():
        return None
    try:
        with transaction.atomic():
            return order_create(
                actor=None,
                data={
                    "organization": recurring.organization,
                    "ordered_on": period,
                    "currency": recurring.currency,
                    "language": recurring.language,
                    "notes": recurring.notes,
                    "recurring": recurring,
                    "recurring_period": period,
                    "owner": recurring.owner,
                    "team": recurring.team,
                    "lines": [
                        {
                            "product": line.product,
                            "description": line.description,
                            "quantity": line.quantity,
                            "unit_price": line.unit_price,
                            "discount": line.discount,
                            "vat_rate": line.vat_rate,
                        }
                        for line in lines
                    ],
                },
            )
    except IntegrityError:  # another worker ordered this period a moment ago
        return None


def create_due_recurring_orders(*, today: date | None = None) -> list[Order]:
    """Order every due period of every active recurring order (idempotent); returns the new
    orders. The owner is told of each."""
    today = today or timezone.localdate()
    created: list[Order] = []
    due = RecurringOrder.objects.filter(active=True, next_on__lte=today).select_related(
        "organization", "owner"
    )
    for recurring in due:
        lines = list(recurring.lines.select_related("product").order_by("position", "id"))
        with transaction.atomic():
            locked = RecurringOrder.objects.select_for_update().get(pk=recurring.pk)
            period = locked.next_on
            for _i in range(MAX_PERIODS_PER_RUN):
                if period > today or (locked.end_on and period > locked.end_on):
                    break
                if lines:
                    order = _order_period(locked, period, lines)
                    if order is not None:
                        created.append(order)
                        _tell_owner(locked, order)
                period = add_interval(period, locked.interval, locked.interval_unit)
            values: dict[str, Any] = {"next_on": period}
            if locked.end_on and period > locked.end_on:
                values["active"] = False
            RecurringOrder.objects.filter(pk=locked.pk).update(**values)
    return created


def _tell_owner(recurring: RecurringOrder, order: Order) -> None:
    if recurring.owner is None:
        return
    notify(
        recurring.owner,
        key=f"commerce:recurring:{recurring.pk}:{order.recurring_period}",
        title=str(
            _("Recurring order: %(number)s for %(organization)s")
            % {"number": order.number, "organization": recurring.organization}
        ),
        body=str(
            _("“%(name)s” ordered the period of %(period)s.")
            % {"name": recurring.name, "period": order.recurring_period}
        ),
        url=order.get_absolute_url(),
        kind="commerce",
        due_on=order.ordered_on,
    )


def recurring_order_line_add(
    *, actor: Any, recurring: RecurringOrder, data: Mapping[str, Any]
) -> RecurringOrderLine:
    from .common import check_one_line

    core.require_change(actor, recurring)
    line = check_one_line(data)
    check_reverse_charge(recurring.organization, [line])
    last = recurring.lines.order_by("-position").values_list("position", flat=True).first() or 0
    with transaction.atomic():
        return core.model_create(
            RecurringOrderLine,
            actor=actor,
            data={**line, "recurring": recurring, "position": last + 1},
        )


def recurring_order_line_remove(*, actor: Any, instance: RecurringOrderLine) -> None:
    core.require_change(actor, instance.recurring)
    core.model_delete(instance, actor=actor)
