from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "accord.dataio.exports"
    label = "exports"
    verbose_name = _("Exports")

    def ready(self) -> None:
        from accord.core.navigation import DATA, MenuItem, register_menu_item
        from accord.core.views import ListExportFormat, register_list_export_format

        # every list page (core ModelViews) offers these buttons for its current filter
        register_list_export_format(ListExportFormat("csv", _("Export CSV"), "exports:list"))
        register_list_export_format(ListExportFormat("xlsx", _("Export Excel"), "exports:list"))
        register_menu_item(
            MenuItem(
                label=_("Export my data"),
                url_name="exports:my_data",
                icon="export",
                order=60,
                section=DATA,
                description=_(
                    "Everything you may see as one JSON file; every list also exports its "
                    "current filter to CSV or Excel."
                ),
            )
        )
