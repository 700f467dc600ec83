"""Admin for interactions and follow-ups, with their change history."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    FollowUp,
    Interaction,
    InteractionOrganization,
    InteractionPerson,
    Thread,
)


class InteractionOrganizationInline(admin.TabularInline):
    model = InteractionOrganization
    raw_id_fields = ("organization",)
    readonly_fields = ("organization", "occurred_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class InteractionPersonInline(InteractionOrganizationInline):
    model = InteractionPerson
    raw_id_fields = ("person",)
    readonly_fields = ("person", "occurred_at")


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("subject", "started_at")
    search_fields = ("subject", "normalized_subject")
    date_hierarchy = "started_at"


@admin.register(Interaction)
class InteractionAdmin(SimpleHistoryAdmin):
    list_display = ("subject", "kind", "direction", "occurred_at", "owner", "team")
    list_filter = ("kind", "direction", "source", "team")
    search_fields = ("subject", "body")
    date_hierarchy = "occurred_at"
    raw_id_fields = ("owner", "users")
    list_select_related = ("owner", "team")
    readonly_fields = ("source", "source_id", "thread")
    inlines = [InteractionOrganizationInline, InteractionPersonInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The parties are edited through the app; keep their denormalised times right here too.
        services.interaction_sync_links(interaction=obj)

    def delete_model(self, request, obj):
        services.interaction_delete(actor=None, instance=obj)


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ("title", "due_date", "status", "assignee", "organization", "owner")
    list_filter = ("status", "team")
    search_fields = ("title", "notes")
    date_hierarchy = "due_date"
    raw_id_fields = ("assignee", "owner", "organization", "person", "interaction")
    list_select_related = ("assignee", "organization", "owner")
