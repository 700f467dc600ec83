from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "accord.servicedesk"
    label = "servicedesk"
    verbose_name = _("Service desk")

    def ready(self) -> None:
        from accord.core.navigation import MenuItem, register_menu_item  # noqa: F401

        # Each area registers its menu entries below (one block per area).

        # --- cases and service levels ---
        register_menu_item(
            MenuItem(label=_("Cases"), url_name="servicedesk:case_list", icon="case", order=50)
        )
        from accord.core.navigation import DATA

        from . import tasks_cases  # noqa: F401  (the service-level check every five minutes)
        from .selectors.servicelevels import may_configure

        for label, url_name, order, description in (
            (
                _("Service hours"),
                "servicedesk:servicehours_list",
                81,
                _("When service-level clocks run, per team, with the public holidays of a state."),
            ),
            (
                _("Service-level policies"),
                "servicedesk:servicelevelpolicy_list",
                82,
                _("First-response and resolution targets per priority and client tier."),
            ),
            (
                _("Client service tiers"),
                "servicedesk:organizationservicetier_list",
                83,
                _("Which clients are premium or key accounts (all others: standard)."),
            ),
            (
                _("Case categories"),
                "servicedesk:casecategory_list",
                84,
                _("What cases are about: faults, maintenance, spare parts, complaints …"),
            ),
        ):
            register_menu_item(
                MenuItem(
                    label=label,
                    url_name=url_name,
                    icon="settings",
                    order=order,
                    section=DATA,
                    description=description,
                    visible_to=may_configure,
                )
            )
        # --- appointments, schedules, trainings (services) ---
        register_menu_item(
            MenuItem(
                label=_("Services"),
                url_name="servicedesk:calendar",
                icon="appointment",
                order=55,
            )
        )
        from accord.dataio.calendars.feeds import register_feed_source

        from . import tasks_appointments  # noqa: F401  (the daily generation and reminder jobs)
        from .feeds_appointments import appointment_events

        register_feed_source(appointment_events)
