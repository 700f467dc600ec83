from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "accord.dataio.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from accord.core.navigation import DATA, MenuItem, register_menu_item
        from accord.core.signals import record_changed

        from . import selectors
        from .services import on_record_changed

        record_changed.connect(on_record_changed, dispatch_uid="accord_webhooks_record_changed")
        register_menu_item(
            MenuItem(
                label=_("Webhooks"),
                url_name="webhooks:webhookendpoint_list",
                icon="link",
                order=60,
                section=DATA,
                description=_(
                    "Send changes of organizations, people, relationships, interactions and "
                    "follow-ups to other systems, signed."
                ),
                visible_to=selectors.can_manage_webhooks,
            )
        )
