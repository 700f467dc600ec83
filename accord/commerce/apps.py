from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    name = "accord.commerce"
    label = "commerce"
    verbose_name = _("Products and commerce")

    def ready(self) -> None:
        from accord.core.navigation import DATA, MenuItem, register_menu_item

        register_menu_item(
            MenuItem(
                label=_("Products"),
                url_name="commerce:product_list",
                icon="product",
                order=45,
                section=DATA,
                description=_("The product catalogue with list prices, used on opportunity lines."),
            )
        )
        # --- quotes, orders, invoices, payments (one main entry; the pages have tabs) ---
        register_menu_item(
            MenuItem(label=_("Orders"), url_name="commerce:order_list", icon="order", order=47)
        )
        register_menu_item(
            MenuItem(
                label=_("Bank statements"),
                url_name="commerce:bankstatement_list",
                icon="import",
                order=46,
                section=DATA,
                description=_("Import CSV bank statements: payments matched to invoices."),
            )
        )
        from . import tasks  # noqa: F401  (bank import and the daily recurring-order job)
        from .selectors import attainment

        attainment.register()  # orders count towards revenue targets
