from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "accord.contracts"
    label = "contracts"
    verbose_name = _("Contracts and negotiations")

    def ready(self) -> None:
        from accord.core.navigation import MenuItem, register_menu_item  # noqa: F401

        # Each area registers its menu entries below (one block per area).
        # --- negotiations ---
        register_menu_item(
            MenuItem(
                label=_("Negotiations"),
                url_name="contracts:negotiation_list",
                icon="relationship",
                order=62,
            )
        )
        # --- contracts ---
        register_menu_item(
            MenuItem(
                label=_("Contracts"), url_name="contracts:contract_list", icon="contract", order=60
            )
        )
        # --- commitments ---
        register_menu_item(
            MenuItem(
                label=_("Commitments"), url_name="contracts:commitment_list", icon="check", order=61
            )
        )
        from accord.dataio.calendars.feeds import register_feed_source

        from . import reminders  # noqa: F401  (registers the daily reminder job)
        from .feeds import contract_date_events

        register_feed_source(contract_date_events)
        from .services.contracts import connect_signals as connect_contract_signals

        connect_contract_signals()
