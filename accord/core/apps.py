from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "accord.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .navigation import DATA, MenuItem, register_menu_item
        from .search import repair_indexes

        register_menu_item(
            MenuItem(label=_("Data & settings"), url_name="core:data_hub", icon="upload", order=90)
        )
        register_menu_item(
            MenuItem(
                label=_("Jobs"),
                url_name="core:job_list",
                icon="clock",
                order=90,
                section=DATA,
                description=_("Progress and outcome of imports, exports and synchronisations."),
            )
        )

        # Each domain app describes its searchable models in `<app>/search.py`.
        autodiscover_modules("search")
        # Each app registers its background job kinds in `<app>/tasks.py`.
        autodiscover_modules("tasks")
        post_migrate.connect(repair_indexes, sender=self, dispatch_uid="accord_search_repair")
