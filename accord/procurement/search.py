"""Procurement records in global search (discovered by core); one section per area."""

from django.utils.translation import gettext_lazy as _

# --- suppliers and purchases (index: migration 0005) ---
from accord.core.search import register_search  # noqa: E402

from .models import PurchaseOrder, SupplierProfile  # noqa: E402


def supplier_profile_subtitle(profile: SupplierProfile) -> str:
    """ "Approved · Strategic · risk 4/5"."""
    parts = [profile.get_qualification_status_display()]
    if profile.kraljic_class:
        parts.append(profile.get_kraljic_class_display())
    parts.append(f"{profile.supply_risk}/5")
    return " · ".join(str(p) for p in parts)


register_search(
    SupplierProfile,
    fields=("name", "notes"),
    title=lambda profile: profile.name or str(profile.organization_id),
    subtitle=supplier_profile_subtitle,
    kind_label=_("Supplier profiles"),
    icon="supplier",
)


def purchase_order_subtitle(order: PurchaseOrder) -> str:
    """ "Müller GmbH · Ordered · 2025-03-12"."""
    return " · ".join(
        str(p) for p in (order.supplier, order.get_status_display(), order.ordered_on)
    )


register_search(
    PurchaseOrder,
    fields=("number", "external_id", "note"),
    title=lambda order: order.number,
    subtitle=purchase_order_subtitle,
    kind_label=_("Purchase orders"),
    select_related=("supplier",),
    newest_first="ordered_on",
    icon="cart",
)
