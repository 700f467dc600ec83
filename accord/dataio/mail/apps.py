from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "accord.dataio.mail"
    label = "mail"
    verbose_name = _("Mail")

    def ready(self) -> None:
        from accord.core.navigation import DATA, MenuItem, register_menu_item

        register_menu_item(
            MenuItem(
                label=_("Mail"),
                url_name="mail:home",
                icon="email",
                order=20,
                section=DATA,
                description=_(
                    "Capture mail as interactions: upload .eml, mbox or Maildir files, or sync "
                    "IMAP accounts; review suggested people."
                ),
            )
        )
