from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LostReason, Opportunity, OpportunityLine, Pipeline, Stage, StageChange


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


@admin.register(Pipeline)
class PipelineAdmin(admin.ModelAdmin):
    list_display = ("name", "is_default")
    inlines = [StageInline]


@admin.register(LostReason)
class LostReasonAdmin(admin.ModelAdmin):
    list_display = ("name", "active", "order")
    list_editable = ("active", "order")


class OpportunityLineInline(admin.TabularInline):
    model = OpportunityLine
    extra = 0
    raw_id_fields = ("product",)


class StageChangeInline(admin.TabularInline):
    model = StageChange
    fk_name = "opportunity"
    extra = 0
    readonly_fields = ("from_stage", "to_stage", "changed_at", "changed_by")
    can_delete = False


@admin.register(Opportunity)
class OpportunityAdmin(SimpleHistoryAdmin):
    list_display = ("title", "organization", "stage", "amount", "currency", "expected_close_date")
    list_filter = ("pipeline", "stage")
    search_fields = ("title", "organization__name")
    raw_id_fields = ("organization", "won_competitor", "owner", "team")
    inlines = [OpportunityLineInline, StageChangeInline]
