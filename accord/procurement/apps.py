from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "accord.procurement"
    label = "procurement"
    verbose_name = _("Procurement")

    def ready(self) -> None:
        from accord.core.navigation import MenuItem, register_menu_item  # noqa: F401

        # Each area registers its menu entries below (one block per area).

        # --- suppliers and purchases ---
        self._ready_suppliers_and_purchases()

    def _ready_suppliers_and_purchases(self) -> None:
        """Menu entries, reminders and signal receivers of suppliers and purchases."""
        from accord.core.navigation import DATA, MenuItem, register_menu_item

        from . import tasks_suppliers  # noqa: F401  (the document expiry reminders)
        from .services.suppliers import connect_signals, may_configure

        register_menu_item(
            MenuItem(
                label=_("Suppliers"),
                url_name="procurement:supplierprofile_list",
                icon="supplier",
                order=60,
            )
        )
        register_menu_item(
            MenuItem(
                label=_("Purchase orders"),
                url_name="procurement:purchaseorder_list",
                icon="cart",
                order=61,
            )
        )
        register_menu_item(
            MenuItem(
                label=_("Supply categories"),
                url_name="procurement:supplycategory_list",
                icon="settings",
                order=82,
                section=DATA,
                description=_(
                    "What suppliers supply; also the cost categories budgets are planned in."
                ),
                visible_to=may_configure,
            )
        )
        register_menu_item(
            MenuItem(
                label=_("Supplier qualification questions"),
                url_name="procurement:qualificationquestion_list",
                icon="settings",
                order=83,
                section=DATA,
                description=_("The questionnaire a supplier answers before it can be approved."),
                visible_to=may_configure,
            )
        )
        connect_signals()

        # --- scorecards and budgets ---
        from . import tasks_budgets, tasks_scorecards  # noqa: F401  (recompute scores, alerts)
        from .selectors.scorecards import may_configure as may_configure_scorecards

        register_menu_item(
            MenuItem(
                label=_("Scorecards"),
                url_name="procurement:supplierscore_list",
                icon="star",
                order=62,
            )
        )
        register_menu_item(
            MenuItem(label=_("Budgets"), url_name="procurement:budget_list", icon="chart", order=63)
        )
        register_menu_item(
            MenuItem(
                label=_("Scorecard criteria and standings"),
                url_name="procurement:scorecardcriterion_list",
                icon="settings",
                order=84,
                section=DATA,
                description=_(
                    "What suppliers are rated on, the weights, and the standings that warn or "
                    "block new orders."
                ),
                visible_to=may_configure_scorecards,
            )
        )
