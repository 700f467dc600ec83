from django.contrib import admin

from .models import Job, PeriodicSchedule


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "label", "status", "started_by", "done", "total", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["label", "kind", "started_by__email"]
    readonly_fields = [f.name for f in Job._meta.fields]
    list_select_related = ["started_by"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(PeriodicSchedule)
class PeriodicScheduleAdmin(admin.ModelAdmin):
    list_display = ["kind", "next_run_at", "last_job"]
