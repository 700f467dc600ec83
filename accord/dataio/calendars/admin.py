from django.contrib import admin

from .models import CalendarFeed, CalendarImport


@admin.register(CalendarImport)
class CalendarImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "file_format", "owner", "created_at", "job"]
    list_filter = ["file_format"]
    raw_id_fields = ["owner", "job"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Tokens are stored as hashes only; the admin can see who has a subscription and revoke it."""

    list_display = ["user", "created_at", "last_used_at"]
    readonly_fields = ["user", "token_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False
