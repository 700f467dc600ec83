from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "accord.dataio.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from accord.core.navigation import DATA, MenuItem, register_menu_item

        register_menu_item(
            MenuItem(
                label=_("Import"),
                url_name="imports:import_list",
                icon="import",
                order=10,
                section=DATA,
                description=_(
                    "Organizations, people with their positions, interactions and follow-ups from "
                    "CSV or Excel files: map the columns, check a dry run, then import."
                ),
            )
        )
