from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "accord.users"
    label = "users"
    verbose_name = _("Users and teams")

    def ready(self) -> None:
        from accord.core.navigation import MenuItem, register_menu_item

        register_menu_item(
            MenuItem(
                label=_("Users and teams"), url_name="users:user_list", icon="person", order=90
            )
        )
