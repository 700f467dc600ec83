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
        # --- market signals ---
        register_menu_item(
            MenuItem(
                label=_("Market signals"),
                url_name="pipeline:marketsignal_list",
                icon="lightbulb",
                order=42,
            )
        )
        # --- buying center / competitors ---
        register_menu_item(
            MenuItem(
                label=_("Competitors"),
                url_name="pipeline:competitor_list",
                icon="star",
                order=44,
            )
        )
        # --- targets / forecast ---
        register_menu_item(
            MenuItem(label=_("Forecast"), url_name="pipeline:forecast", icon="chart", order=46)
        )
        # --- board / pipeline configuration (the board is reached from the opportunity list) ---
        from accord.core.navigation import DATA

        # targets are reached from the forecast page too; the main menu stays on one line
        register_menu_item(
            MenuItem(
                label=_("Targets"),
                url_name="pipeline:revenuetarget_list",
                icon="target",
                order=47,
                section=DATA,
                description=_(
                    "Revenue targets per month, quarter or year for the company, a team, a user, "
                    "an industry or a region, with their attainment."
                ),
            )
        )

        from .selectors.config import may_configure

        register_menu_item(
            MenuItem(
                label=_("Pipelines, stages and lost reasons"),
                url_name="pipeline:pipeline_list",
                icon="settings",
                order=80,
                section=DATA,
                description=_(
                    "The sales process: pipelines, their stages with default probabilities and "
                    "commit flags, and the reasons deals are lost."
                ),
                visible_to=may_configure,
            )
        )
