"""Writes of contracts and their documents, and the daily contract reminders.

Rules (each refused with a message naming the field): the end is not before the start; a notice
period is not longer than the contract term (nor than the renewal term of a renewing contract); a
renewing contract has a renewal term; the counterparty, further parties, business unit and
opportunity are records the actor may see (links already there that the actor cannot see are kept
on edit); the business unit is an internal business unit. A terminated contract without a
termination date is terminated today. Bad input never leaves half-written data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.core import services as core
from accord.core.notifications import notify
from accord.intelligence.engine import contract_dates as dates
from accord.parties.models import Organization
from accord.pipeline.models import Opportunity

from ..models.contracts import Contract, ContractDocument, ContractStatus, NoticeUnit

NOTICE_REMINDER_DAYS = (7, 30, 90)
END_REMINDER_DAYS = 30


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def describe_period(amount: int, unit: str) -> str:
    """ "6 months", "2 weeks", "1 day"."""
    if unit == NoticeUnit.MONTHS:
        return ngettext("%(n)d month", "%(n)d months", amount) % {"n": amount}
    if unit == NoticeUnit.WEEKS:
        return ngettext("%(n)d week", "%(n)d weeks", amount) % {"n": amount}
    return ngettext("%(n)d day", "%(n)d days", amount) % {"n": amount}


def describe_term(start: dt.date, end: dt.date) -> str:
    """The length of start–end inclusive: whole months where it is, days otherwise."""
    months = dates.whole_months(start, end)
    if months is not None:
        return describe_period(months, NoticeUnit.MONTHS)
    return describe_period((end - start).days + 1, NoticeUnit.DAYS)


def validate_contract(values: Mapping[str, Any]) -> dict[str, str]:
    """The rules on the dates and terms of one contract's (future) state: the errors by field."""
    errors: dict[str, str] = {}
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors["end_date"] = _("The end date must not be before the start date.")
    auto, renewal = values.get("auto_renewal"), values.get("renewal_term_months")
    if auto and not renewal:
        errors["renewal_term_months"] = _(
            "Enter the renewal term: the contract renews automatically."
        )
    notice, unit = values.get("notice_period") or 0, values.get("notice_unit") or NoticeUnit.MONTHS
    too_long = (
        notice
        and start
        and end
        and "end_date" not in errors
        and dates.subtract_period(end, notice, unit) < start - dt.timedelta(days=1)
    )
    if too_long:
        errors["notice_period"] = _(
            "The notice period of %(notice)s is longer than the contract term of %(term)s."
        ) % {"notice": describe_period(notice, unit), "term": describe_term(start, end)}  # type: ignore[arg-type]
    if notice and auto and renewal and end and "notice_period" not in errors:
        renewal_end = dates.shift_months(end, renewal)
        if dates.subtract_period(renewal_end, notice, unit) < end:
            errors["notice_period"] = _(
                "The notice period of %(notice)s is longer than the renewal term of %(term)s."
            ) % {
                "notice": describe_period(notice, unit),
                "term": describe_period(renewal, NoticeUnit.MONTHS),
            }
    value = values.get("value")
    if value is not None and value < 0:
        errors["value"] = _("The value must not be negative.")
    return errors


def _check_link(
    actor: Any,
    data: dict[str, Any],
    instance: models.Model | None,
    field: str,
    model: Any,
    message: str,
    errors: dict[str, str],
) -> None:
    """A new link must point to a row the actor may see; an unchanged link is kept."""
    if actor is None or field not in data or data[field] in (None, ""):
        return
    pk = _pk(data[field])
    if instance is not None and getattr(instance, f"{field}_id", None) == pk:
        return
    if not model.objects.visible_to(actor).filter(pk=pk).exists():
        errors[field] = message


def _check_many(
    actor: Any,
    data: dict[str, Any],
    instance: Contract | None,
    field: str,
    model: Any,
    message: str,
    errors: dict[str, str],
) -> None:
    if field not in data:
        return
    wanted = list(dict.fromkeys(_pk(v) for v in (data[field] or [])))
    existing: set[Any] = set()
    if instance is not None and instance.pk:
        existing = set(getattr(instance, field).values_list("pk", flat=True))
    if actor is not None:
        visible = model.objects.visible_to(actor)
        new = [pk for pk in wanted if pk not in existing]
        if new and visible.filter(pk__in=new).count() != len(new):
            errors[field] = message
            return
        if existing:  # keep what the actor cannot see
            seen = set(visible.filter(pk__in=existing).values_list("pk", flat=True))
            wanted += [pk for pk in existing if pk not in seen and pk not in wanted]
    data[field] = wanted


def _prepare(actor: Any, data: Mapping[str, Any], instance: Contract | None) -> dict[str, Any]:
    data = dict(data)
    data.pop("counterparty_name", None)
    for key in ("title", "notes"):
        if key in data and data[key] is not None:
            data[key] = str(data[key]).strip()
    if "number" in data:
        data["number"] = str(data["number"] or "").strip() or None
    if "currency" in data:
        data["currency"] = str(data["currency"] or "").strip().upper() or "EUR"
    if data.get("notice_unit") in (None, ""):
        data.pop("notice_unit", None)

    def current(key: str) -> Any:
        if key in data:
            return data[key]
        return getattr(instance, key) if instance is not None else None

    merged = {
        key: current(key)
        for key in (
            "start_date",
            "end_date",
            "auto_renewal",
            "renewal_term_months",
            "notice_period",
            "notice_unit",
            "value",
        )
    }
    errors = validate_contract(merged)
    _check_link(
        actor,
        data,
        instance,
        "counterparty",
        Organization,
        _("You may choose only an organization you can see."),
        errors,
    )
    _check_link(
        actor,
        data,
        instance,
        "business_unit",
        Organization,
        _("You may choose only an organization you can see."),
        errors,
    )
    _check_link(
        actor,
        data,
        instance,
        "opportunity",
        Opportunity,
        _("You may link only an opportunity you can see."),
        errors,
    )
    _check_many(
        actor,
        data,
        instance,
        "further_parties",
        Organization,
        _("You may link only organizations you can see."),
        errors,
    )
    _check_purchase_orders(actor, data, instance, errors)
    unit = data.get("business_unit")
    if (
        unit not in (None, "")
        and "business_unit" not in errors
        and not Organization.objects.filter(pk=_pk(unit), is_internal=True).exists()
    ):
        errors["business_unit"] = _("Choose one of our internal business units.")
    counterparty = current("counterparty")
    if counterparty in (None, ""):
        errors.setdefault("counterparty", _("Choose the counterparty."))
    if errors:
        raise ValidationError(errors)
    if "counterparty" in data:
        org = data["counterparty"]
        if not isinstance(org, Organization):
            org = Organization.objects.get(pk=org)
            data["counterparty"] = org
        data["counterparty_name"] = org.name
    status = current("status")
    if status == ContractStatus.TERMINATED and not current("terminated_on"):
        data["terminated_on"] = timezone.localdate()
    return data


def _check_purchase_orders(
    actor: Any, data: dict[str, Any], instance: Contract | None, errors: dict[str, str]
) -> None:
    if "purchase_orders" not in data:
        return
    _check_many(
        actor,
        data,
        instance,
        "purchase_orders",
        Contract._meta.get_field("purchase_orders").related_model,
        _("You may link only purchase orders you can see."),
        errors,
    )


def contract_create(*, actor: Any, data: Mapping[str, Any]) -> Contract:
    core.require_write(actor)
    prepared = _prepare(actor, data, None)
    with transaction.atomic():
        return core.model_create(Contract, actor=actor, data=prepared)


def contract_update(*, actor: Any, instance: Contract, data: Mapping[str, Any]) -> Contract:
    core.require_change(actor, instance)
    prepared = _prepare(actor, data, instance)
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=prepared)


def contract_delete(*, actor: Any, instance: Contract) -> None:
    core.model_delete(instance, actor=actor)


def contract_document_add(
    *, actor: Any, contract: Contract, title: str = "", file: Any
) -> ContractDocument:
    """Attach a file to a contract the actor may change; the title defaults to the file name."""
    core.require_write(actor)
    core.require_change(actor, contract)
    if not file:
        raise ValidationError({"file": _("Choose a file.")})
    name = str(getattr(file, "name", "") or "").rsplit("/", 1)[-1]
    values = {
        "contract": contract,
        "title": (title or "").strip() or name or _("Document"),
        "file": file,
        "uploaded_by": actor if getattr(actor, "is_authenticated", False) else None,
    }
    with transaction.atomic():
        return core.model_create(ContractDocument, actor=actor, data=values)


def contract_document_delete(*, actor: Any, instance: ContractDocument) -> None:
    core.require_change(actor, instance.contract)
    with transaction.atomic():
        stored = instance.file.name if instance.file else ""
        storage = instance.file.storage if instance.file else None
        core.model_delete(instance, actor=actor)
        if stored and storage is not None:
            transaction.on_commit(lambda: storage.delete(stored))


def sync_counterparty_names(organization: Organization) -> int:
    """After an organization is renamed: the contracts' search copy of its name."""
    return (
        Contract.objects.filter(counterparty=organization)
        .exclude(counterparty_name=organization.name)
        .update(counterparty_name=organization.name)
    )


# --- reminders -----------------------------------------------------------------------------------
def _window(days_left: int, thresholds: Iterable[int]) -> int | None:
    """The smallest reminder threshold not below `days_left` (None: too early or past)."""
    if days_left < 0:
        return None
    for threshold in sorted(thresholds):
        if days_left <= threshold:
            return threshold
    return None


def send_contract_reminders(*, today: dt.date | None = None) -> int:
    """Tell each running contract's owner 90, 30 and 7 days before its notice deadline and 30
    days before its end (or renewal). Idempotent: a notification's key names the contract, the
    date and the window, so running again the same day (or the next) tells nobody twice."""
    from ..selectors.contracts import contract_key_dates

    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=max(NOTICE_REMINDER_DAYS) + 400)
    running = (
        Contract.objects.filter(
            status__in=(ContractStatus.ACTIVE, ContractStatus.DRAFT),
            owner__isnull=False,
            owner__is_active=True,
            end_date__isnull=False,
        )
        .filter(models.Q(auto_renewal=True) | models.Q(end_date__gte=today, end_date__lte=horizon))
        .select_related("owner", "counterparty")
    )
    sent = 0
    for contract in running.iterator(chunk_size=500):
        keys = contract_key_dates(contract, today=today)
        url = contract.get_absolute_url()
        for deadline in (keys.notice_deadline, keys.next_notice_deadline):
            if deadline is None:
                continue
            window = _window((deadline - today).days, NOTICE_REMINDER_DAYS)
            if window is None:
                continue
            title = _("Notice deadline for “%(contract)s” on %(date)s") % {
                "contract": contract.title,
                "date": deadline.isoformat(),
            }
            body = _(
                "Notice must be given by %(date)s (in %(days)s days) to end the contract with "
                "%(party)s at %(end)s."
            ) % {
                "date": deadline.isoformat(),
                "days": (deadline - today).days,
                "party": contract.counterparty_name or contract.counterparty,
                "end": (keys.term_end if deadline == keys.notice_deadline else keys.next_term_end),
            }
            note = notify(
                contract.owner,
                key=f"contract:{contract.pk}:notice:{deadline.isoformat()}:{window}",
                title=title,
                body=body,
                url=url,
                kind="contract_notice",
                due_on=deadline,
            )
            sent += note is not None
            break  # one deadline per run: the nearest one ahead
        end = keys.term_end
        if end is not None and _window((end - today).days, (END_REMINDER_DAYS,)) is not None:
            if keys.renewal_date is not None:
                title = _("“%(contract)s” renews on %(date)s") % {
                    "contract": contract.title,
                    "date": keys.renewal_date.isoformat(),
                }
            else:
                title = _("“%(contract)s” ends on %(date)s") % {
                    "contract": contract.title,
                    "date": end.isoformat(),
                }
            note = notify(
                contract.owner,
                key=f"contract:{contract.pk}:end:{end.isoformat()}:{END_REMINDER_DAYS}",
                title=title,
                url=url,
                kind="contract_end",
                due_on=end,
            )
            sent += note is not None
    return sent


def _organization_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action == "updated" and isinstance(instance, Organization):
        sync_counterparty_names(instance)


def connect_signals() -> None:
    """Keep the contracts' copy of the counterparty's name (for search) when it is renamed."""
    from accord.core.signals import record_changed

    record_changed.connect(
        _organization_changed, sender=Organization, dispatch_uid="contracts_counterparty_name"
    )
