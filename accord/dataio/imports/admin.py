"""Admin pages of the imports app (read-mostly: imports run through their pages and jobs)."""

from django.contrib import admin

from .models import ImportRun, SavedMapping


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "kind",
        "status",
        "owner",
        "total_rows",
        "rows_committed",
        "created_at",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["filename", "owner__email"]
    raw_id_fields = ["owner", "check_job", "import_job"]
    readonly_fields = ["report", "result", "headers", "sample", "rows_committed"]
    list_select_related = ["owner"]


@admin.register(SavedMapping)
class SavedMappingAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "owner", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name", "owner__email"]
    raw_id_fields = ["owner"]
