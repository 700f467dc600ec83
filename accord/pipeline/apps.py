from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PipelineConfig(AppConfig):
    name = "accord.pipeline"
    label = "pipeline"
    verbose_name = _("Pipeline and opportunities")

    def ready(self) -> None:
        from accord.core.navigation import MenuItem, register_menu_item

        register_menu_item(
            MenuItem(
                label=_("Opportunities"),
                url_name="pipeline:opportunity_list",
                icon="opportunity",
                order=40,
            )
        )
