"""Admin pages for the graph of parties, with change history (django-simple-history)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Organization, Person, PersonEmail, PersonPhone, Position, Relationship, Tag


class RefreshSummaryMixin:
    """Admin edits bypass the services; keep the person's summary (organization, title, email) right."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        services._refresh_person_summary(obj.person)

    def delete_model(self, request, obj):
        person = obj.person
        super().delete_model(request, obj)  # type: ignore[misc]
        services._refresh_person_summary(person)


class PositionInline(admin.TabularInline):
    model = Position
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["organization"]


class PersonEmailInline(admin.TabularInline):
    model = PersonEmail
    extra = 0


class PersonPhoneInline(admin.TabularInline):
    model = PersonPhone
    extra = 0


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "city", "country", "industry", "owner", "team", "is_archived"]
    list_filter = ["is_client", "is_supplier", "is_partner", "is_competitor", "is_archived"]
    search_fields = ["name", "legal_name", "city", "vat_id", "external_id"]
    list_select_related = ["owner", "team"]
    autocomplete_fields = ["tags"]
    raw_id_fields = ["owner"]
    show_full_result_count = False


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "organization", "job_title", "email", "owner"]
    search_fields = ["last_name", "first_name", "email", "external_id"]
    list_select_related = ["organization", "owner"]
    list_filter = ["is_archived"]
    autocomplete_fields = ["tags"]
    raw_id_fields = ["owner"]
    inlines = [PositionInline, PersonEmailInline, PersonPhoneInline]
    show_full_result_count = False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services._refresh_person_summary(form.instance)


@admin.register(Position)
class PositionAdmin(RefreshSummaryMixin, SimpleHistoryAdmin):
    list_display = ["person", "organization", "title", "buying_role", "start_date", "end_date"]
    list_filter = ["buying_role"]
    raw_id_fields = ["person", "organization"]
    list_select_related = ["person", "organization"]
    show_full_result_count = False


@admin.register(PersonEmail)
class PersonEmailAdmin(RefreshSummaryMixin, SimpleHistoryAdmin):
    list_display = ["email", "person", "kind", "is_primary"]
    search_fields = ["email"]
    raw_id_fields = ["person"]
    list_select_related = ["person"]


@admin.register(PersonPhone)
class PersonPhoneAdmin(SimpleHistoryAdmin):
    list_display = ["number", "person", "kind"]
    raw_id_fields = ["person"]
    list_select_related = ["person"]


@admin.register(Relationship)
class RelationshipAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "relationship_type", "start_date", "end_date", "owner"]
    list_filter = ["relationship_type"]
    list_select_related = ["from_organization", "to_organization", "from_person", "to_person"]
    raw_id_fields = [
        "from_organization",
        "to_organization",
        "from_person",
        "to_person",
        "owner",
    ]
