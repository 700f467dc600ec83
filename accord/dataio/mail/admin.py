"""Admin for mail accounts (never the password) and suggested people."""

from __future__ import annotations

from django.contrib import admin

from .models import MailAccount, UnknownSender


@admin.register(MailAccount)
class MailAccountAdmin(admin.ModelAdmin):
    list_display = ("__str__", "owner", "host", "is_active", "last_sync_status", "last_sync_at")
    list_filter = ("is_active", "last_sync_status", "security")
    search_fields = ("name", "host", "username", "owner__email")
    raw_id_fields = ("owner",)
    # The encrypted password and the sync state are not edited here.
    exclude = ("password_encrypted",)
    readonly_fields = ("folder_state", "last_sync_at", "last_sync_status", "last_sync_error")


@admin.register(UnknownSender)
class UnknownSenderAdmin(admin.ModelAdmin):
    list_display = ("address", "display_name", "owner", "message_count", "status", "last_seen")
    list_filter = ("status",)
    search_fields = ("address", "display_name", "owner__email")
    raw_id_fields = ("owner", "person")
