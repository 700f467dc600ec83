"""`accord export`: a list as CSV/XLSX, or everything a user may see as JSON, from the command line.

    accord export --lists
    accord export --user anna@example.com parties:person_list csv -o people.csv
    accord export --user anna@example.com interactions:interaction_list xlsx --query "q=Angebot&sort=-occurred_at"
    accord export --user anna@example.com --all -o anna.json.zip

The export holds what the user sees on the list page with the same query (filters, `q`, `sort`).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from accord.core.views import exportable_lists, list_export_table, list_view_class
from accord.dataio.exports import services, writers
from accord.dataio.exports.services.full import full_export_filename


class Command(BaseCommand):
    help = "Export a list (CSV/XLSX) or all data a user may see (JSON in a ZIP)."

    def add_arguments(self, parser):
        parser.add_argument("list", nargs="?", help="The list, e.g. parties:person_list.")
        parser.add_argument("format", nargs="?", choices=services.FORMATS)
        parser.add_argument("--user", help="Whose view of the data (email address).")
        parser.add_argument("--query", default="", help="The list page's query string.")
        parser.add_argument("--all", action="store_true", help="Everything the user may see.")
        parser.add_argument("--lists", action="store_true", help="Print the lists and stop.")
        parser.add_argument("-o", "--output", help="The file to write (default: a dated name).")
        parser.add_argument("--language", default="", help="Headers in this language (de, en).")

    def handle(self, *args, **options):
        if options["lists"]:
            for name, model in exportable_lists():
                self.stdout.write(f"{name:<40} {model._meta.verbose_name_plural}")
            return
        user = self.user(options["user"])
        language = options["language"] or settings.LANGUAGE_CODE
        with translation.override(language), services.user_time_zone(user):
            if options["all"]:
                target = Path(options["output"] or full_export_filename())
                with target.open("wb") as out:
                    counts = services.write_full_export(user, out)
                self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} records → {target}"))
                return
            if not (options["list"] and options["format"]):
                raise CommandError("Name a list and a format (csv or xlsx), or pass --all.")
            self.export_list(user, options)

    def user(self, email: str | None):
        if not email:
            raise CommandError("Pass --user EMAIL: an export holds what that user may see.")
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the address {email}.")
        return user

    def export_list(self, user, options) -> None:
        name, fmt = options["list"], options["format"]
        try:
            view_class, initkwargs = list_view_class(name)
            table = list_export_table(name, user, options["query"])
        except LookupError:
            raise CommandError(f"{name} is no list that can be exported (see --lists).") from None
        if table.filter_errors:
            raise CommandError(f"The query is not valid: {dict(table.filter_errors)}")
        model = initkwargs.get("model") or view_class.model
        target = Path(
            options["output"] or services.export_filename(model._meta.verbose_name_plural, fmt)
        )
        headers = [c.header for c in table.export_columns()]
        with target.open("wb") as out:
            if fmt == "csv":
                writers.write_csv(headers, table.export_rows(), out)
            else:
                writers.write_xlsx(headers, table.export_rows(), out, title=target.stem)
        self.stdout.write(self.style.SUCCESS(f"{name} → {target}"))
