from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "accord.parties"
    label = "parties"
    verbose_name = _("Organizations and people")

    def ready(self) -> None:
        from accord.core.navigation import DATA, MenuItem, register_menu_item

        register_menu_item(
            MenuItem(
                label=_("Organizations"),
                url_name="parties:organization_list",
                icon="organization",
                order=20,
            )
        )
        register_menu_item(
            MenuItem(label=_("People"), url_name="parties:person_list", icon="person", order=30)
        )
        register_menu_item(
            MenuItem(
                label=_("Duplicates and merging"),
                url_name="parties:person_duplicates",
                icon="users",
                order=25,
                section=DATA,
                description=_(
                    "People and organizations recorded twice: compare them side by side and "
                    "merge them, with everything linked to either."
                ),
            )
        )
