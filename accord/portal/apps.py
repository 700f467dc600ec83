from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "accord.portal"
    label = "portal"
    verbose_name = _("Client portal")

    def ready(self) -> None:
        from accord.core.navigation import DATA, MenuItem, register_menu_item

        register_menu_item(
            MenuItem(
                label=_("Portal accounts"),
                url_name="portal:portalaccount_list",
                icon="person",
                order=85,
                section=DATA,
                description=_(
                    "People at client organizations invited to the client portal: their "
                    "permissions, invitations and sign-ins."
                ),
            )
        )
        register_menu_item(
            MenuItem(
                label=_("Portal catalogue"),
                url_name="portal:catalogueitem_list",
                icon="product",
                order=86,
                section=DATA,
                description=_(
                    "The products each client may order in the portal, at the list price or "
                    "their own."
                ),
            )
        )
        from accord.servicedesk.signals import case_answered, case_status_changed

        from . import pages, pages_service  # noqa: F401 - register the portal sections
        from .case_updates import on_case_answered, on_case_status_changed

        # the client is mailed when we answer in their case, wait for them or resolve it
        case_answered.connect(on_case_answered, dispatch_uid="accord_portal_case_answered")
        case_status_changed.connect(
            on_case_status_changed, dispatch_uid="accord_portal_case_status"
        )
