from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "accord.dataio.calendars"
    label = "calendars"
    verbose_name = _("Calendars and address books")

    def ready(self) -> None:
        from accord.core.navigation import DATA, MenuItem, register_menu_item

        register_menu_item(
            MenuItem(
                label=_("Address book (vCard)"),
                url_name="calendars:vcard_import",
                icon="person",
                order=30,
                section=DATA,
                description=_(
                    "Import people from .vcf files (vCard 3.0 and 4.0); export people as vCards."
                ),
            )
        )
        register_menu_item(
            MenuItem(
                label=_("Calendar import (iCalendar)"),
                url_name="calendars:ical_import",
                icon="meeting",
                order=31,
                section=DATA,
                description=_("Import meetings from .ics files as interactions, once each."),
            )
        )
        register_menu_item(
            MenuItem(
                label=_("Calendar subscription"),
                url_name="calendars:subscription",
                icon="calendar",
                order=32,
                section=DATA,
                description=_(
                    "Your meetings and follow-ups in Outlook, Thunderbird or on your phone."
                ),
            )
        )
