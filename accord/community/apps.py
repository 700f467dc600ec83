from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "accord.community"
    label = "community"
    verbose_name = _("Community and authorities")

    def ready(self) -> None:
        from accord.core.navigation import MenuItem, register_menu_item

        # Each area registers its menu entries below (one block per area).
        # --- community (projects, assessments, plans, concerns, consultations) ---
        register_menu_item(
            MenuItem(
                label=_("Community"),
                url_name="community:overview",
                icon="community",
                order=64,
                description=_(
                    "Municipalities, authorities, associations and neighbours: the power–interest "
                    "grid, engagement plans, concerns and consultations."
                ),
            )
        )
