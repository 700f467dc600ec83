from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionsConfig(AppConfig):
    name = "accord.interactions"
    label = "interactions"
    verbose_name = _("Interactions and follow-ups")

    def ready(self) -> None:
        from accord.core.navigation import MenuItem, register_menu_item

        register_menu_item(MenuItem(label=_("Today"), url_name="today", icon="today", order=10))
        register_menu_item(
            MenuItem(
                label=_("Interactions"),
                url_name="interactions:interaction_list",
                icon="interaction",
                order=40,
            )
        )
        register_menu_item(
            MenuItem(
                label=_("Follow-ups"),
                url_name="interactions:followup_list",
                icon="followup",
                order=50,
            )
        )
        # --- internal business units: requests between units ---
        from .units import api as _unit_request_api  # noqa: F401  (registers its viewset)

        register_menu_item(
            MenuItem(
                label=_("Internal units"),
                url_name="interactions:units",
                icon="organization",
                order=66,
            )
        )
