"""Quotes and their lines; accepting a quote creates its order.

Rules (refused with a message naming the field): the organization, contact person and
opportunity must be visible to the actor; the contact works at the organization (not checked:
people move); lines as in `common.line_errors`; reverse charge needs the client's VAT id; an
accepted quote keeps its lines. A quote made from an opportunity copies the opportunity's lines
when it brings none of its own. Numbers are A-<year>-<0001>, per year.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.parties.models import Organization, Person

from ..choices import QuoteStatus, VatRate
from ..models import Order, OrderLine, Quote, QuoteLine
from .common import (
    check_one_line,
    check_reverse_charge,
    copy_lines,
    create_numbered,
    pk_of,
    prepare_lines,
    require_visible,
)

QUOTE_PREFIX = "A"
DEFAULT_VALIDITY_DAYS = 30

# status changes a user may make by editing (accepted only by `quote_accept`)
QUOTE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    QuoteStatus.DRAFT: (QuoteStatus.SENT, QuoteStatus.DECLINED, QuoteStatus.EXPIRED),
    QuoteStatus.SENT: (QuoteStatus.DRAFT, QuoteStatus.DECLINED, QuoteStatus.EXPIRED),
    QuoteStatus.DECLINED: (QuoteStatus.DRAFT, QuoteStatus.SENT),
    QuoteStatus.EXPIRED: (QuoteStatus.DRAFT, QuoteStatus.SENT),
    QuoteStatus.ACCEPTED: (),
}


def _links(actor: Any, data: dict[str, Any]) -> None:
    if "organization" in data:
        data["organization"] = require_visible(
            actor,
            Organization,
            data["organization"],
            "organization",
            _("Choose an organization you can see."),
        )
    if data.get("contact") not in (None, ""):
        data["contact"] = require_visible(
            actor, Person, data["contact"], "contact", _("Choose a person you can see.")
        )
    elif "contact" in data:
        data["contact"] = None
    if data.get("opportunity") not in (None, ""):
        from accord.pipeline.models import Opportunity

        data["opportunity"] = require_visible(
            actor,
            Opportunity,
            data["opportunity"],
            "opportunity",
            _("Choose an opportunity you can see."),
        )
    elif "opportunity" in data:
        data["opportunity"] = None


def _opportunity_lines(opportunity: Any) -> list[dict[str, Any]]:
    return [
        {
            "product": line.product,
            "description": line.product.name,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "discount": line.discount,
            "vat_rate": VatRate.STANDARD,
        }
        for line in opportunity.lines.select_related("product").order_by("id")
    ]


def quote_create(*, actor: Any, data: Mapping[str, Any]) -> Quote:
    """A new quote (draft); `lines` (a list of line dicts) are optional; from an opportunity
    without lines of its own it copies the opportunity's lines and organization."""
    core.require_write(actor)
    data = dict(data)
    data.pop("number", None)
    data.pop("status", None)  # a new quote is a draft
    lines = data.pop("lines", None)
    _links(actor, data)
    opportunity = data.get("opportunity")
    if opportunity is not None:
        data.setdefault("organization", opportunity.organization)
        data.setdefault("currency", opportunity.currency)
        if not lines:
            lines = _opportunity_lines(opportunity)
    if data.get("organization") is None:
        raise ValidationError({"organization": _("Choose an organization.")})
    issued = data.get("issued_on") or timezone.localdate()
    data["issued_on"] = issued
    if not data.get("valid_until"):
        data["valid_until"] = issued + timedelta(days=DEFAULT_VALIDITY_DAYS)
    if data["valid_until"] < issued:
        raise ValidationError({"valid_until": _("A quote cannot expire before it is issued.")})
    prepared = prepare_lines(lines or [])
    check_reverse_charge(data["organization"], prepared, field="lines")

    def create(number: str) -> Quote:
        quote = core.model_create(Quote, actor=actor, data={**data, "number": number})
        QuoteLine.objects.bulk_create([QuoteLine(quote=quote, **line) for line in prepared])
        return quote

    with transaction.atomic():
        return create_numbered(create, Quote, QUOTE_PREFIX, issued, 4)


def quote_update(*, actor: Any, instance: Quote, data: Mapping[str, Any]) -> Quote:
    """Change a quote; `lines` replaces all lines. Status: draft, sent, declined, expired by
    hand; accepted only by accepting; an accepted quote is not changed any more."""
    core.require_change(actor, instance)
    data = dict(data)
    data.pop("number", None)
    lines = data.pop("lines", None)
    if instance.status == QuoteStatus.ACCEPTED:
        changed = {k for k, v in data.items() if getattr(instance, k, None) != v}
        if lines is not None or changed - {"notes", "owner", "team"}:
            raise ValidationError(
                {"status": _("The quote was accepted; it is kept as it was accepted.")}
            )
    status = data.get("status")
    if status not in (None, "", instance.status) and status not in QUOTE_TRANSITIONS.get(
        instance.status, ()
    ):
        old_label = instance.get_status_display()
        new_label = dict(QuoteStatus.choices).get(status, status)
        message = _("A quote cannot go from “%(old)s” to “%(new)s”.") % {
            "old": old_label,
            "new": new_label,
        }
        if status == QuoteStatus.ACCEPTED:
            message += " " + _("Accept it with the “Accept” button: that creates the order.")
        raise ValidationError({"status": message})
    _links(actor, data)
    organization = data.get("organization", instance.organization)
    issued = data.get("issued_on", instance.issued_on)
    valid_until = data.get("valid_until", instance.valid_until)
    if valid_until and issued and valid_until < issued:
        raise ValidationError({"valid_until": _("A quote cannot expire before it is issued.")})
    with transaction.atomic():
        if lines is not None:
            prepared = prepare_lines(lines)
            check_reverse_charge(organization, prepared, field="lines")
            instance.lines.all().delete()
            QuoteLine.objects.bulk_create([QuoteLine(quote=instance, **ln) for ln in prepared])
        else:
            check_reverse_charge(organization, instance.lines.all(), field="organization")
        return core.model_update(instance, actor=actor, data=data)


def quote_delete(*, actor: Any, instance: Quote) -> None:
    core.model_delete(instance, actor=actor)


def _editable(actor: Any, quote: Quote) -> None:
    core.require_change(actor, quote)
    if quote.status == QuoteStatus.ACCEPTED:
        raise ValidationError({"quote": _("The quote was accepted; its lines are kept.")})


def quote_line_add(*, actor: Any, quote: Quote, data: Mapping[str, Any]) -> QuoteLine:
    _editable(actor, quote)
    line = check_one_line(data)
    check_reverse_charge(quote.organization, [line])
    last = quote.lines.order_by("-position").values_list("position", flat=True).first() or 0
    with transaction.atomic():
        created = core.model_create(
            QuoteLine, actor=actor, data={**line, "quote": quote, "position": last + 1}
        )
        core.model_update(quote, actor=actor, data={})  # the quote's history notes the change
    return created


def quote_line_create(*, actor: Any, data: Mapping[str, Any]) -> QuoteLine:
    """The API's create: the quote comes in the data."""
    quote = data.get("quote")
    if quote is None:
        raise ValidationError({"quote": _("Choose a quote.")})
    return quote_line_add(actor=actor, quote=quote, data=data)


def quote_line_update(*, actor: Any, instance: QuoteLine, data: Mapping[str, Any]) -> QuoteLine:
    _editable(actor, instance.quote)
    if "quote" in data and pk_of(data["quote"]) != instance.quote_id:
        raise ValidationError({"quote": _("A line cannot move to another quote.")})
    merged = {
        k: data.get(k, getattr(instance, k))
        for k in ("product", "description", "quantity", "unit_price", "discount", "vat_rate")
    }
    line = check_one_line(merged)
    check_reverse_charge(instance.quote.organization, [line])
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=line)


def quote_line_remove(*, actor: Any, instance: QuoteLine) -> None:
    _editable(actor, instance.quote)
    core.model_delete(instance, actor=actor)


def quote_accept(*, actor: Any, quote: Quote, data: Mapping[str, Any] | None = None) -> Order:
    """The client accepted: the quote becomes accepted and its lines become an order (in one
    transaction). Refused for an expired, declined or already accepted quote and for a quote
    without lines."""
    core.require_change(actor, quote)
    data = dict(data or {})
    today = timezone.localdate()
    with transaction.atomic():
        locked = Quote.objects.select_for_update().get(pk=quote.pk)
        if locked.status == QuoteStatus.ACCEPTED:
            existing = locked.orders.order_by("id").first()
            raise ValidationError(
                {
                    "status": _("The quote was accepted already (order %(order)s).")
                    % {"order": existing or "—"}
                }
            )
        if locked.status == QuoteStatus.EXPIRED or (
            locked.valid_until is not None and locked.valid_until < today
        ):
            raise ValidationError(
                {
                    "valid_until": _(
                        "The quote expired on %(date)s; extend its validity or make a new quote."
                    )
                    % {"date": locked.valid_until}
                }
            )
        if locked.status == QuoteStatus.DECLINED:
            raise ValidationError({"status": _("The quote was declined; it cannot be accepted.")})
        lines = list(locked.lines.order_by("position", "id"))
        if not lines:
            raise ValidationError({"lines": _("The quote has no lines to order.")})
        check_reverse_charge(locked.organization, lines, field="organization")
        from .orders import ORDER_PREFIX

        ordered_on = data.get("ordered_on") or today

        def create(number: str) -> Order:
            order = core.model_create(
                Order,
                actor=actor,
                data={
                    "number": number,
                    "organization": locked.organization,
                    "quote": locked,
                    "opportunity": locked.opportunity,
                    "ordered_on": ordered_on,
                    "currency": locked.currency,
                    "language": locked.language,
                    "customer_reference": str(data.get("customer_reference") or ""),
                    "owner": locked.owner,
                    "team": locked.team,
                },
            )
            copy_lines(lines, OrderLine, order=order)
            return order

        order = create_numbered(create, Order, ORDER_PREFIX, ordered_on, 5)
        core.model_update(locked, actor=actor, data={"status": QuoteStatus.ACCEPTED})
        quote.status = QuoteStatus.ACCEPTED
    return order


def expire_quotes(*, today: Any = None) -> int:
    """Draft and sent quotes past their validity become expired (the daily job)."""
    today = today or timezone.localdate()
    return Quote.objects.filter(
        status__in=[QuoteStatus.DRAFT, QuoteStatus.SENT], valid_until__lt=today
    ).update(status=QuoteStatus.EXPIRED)
