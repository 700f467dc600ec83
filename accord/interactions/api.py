"""REST API for interactions and follow-ups: serializers validate, the services write."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from accord.core.api import ServiceModelViewSet
from accord.parties.models import Organization, Person

from . import selectors, services
from .filtersets import FollowUpFilterSet, InteractionFilterSet
from .models import FollowUp, Interaction

router = DefaultRouter()


class VisibleRelatedMixin:
    """Limit related-id fields to rows the requesting user may see."""

    visible_fields: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()  # type: ignore[misc]
        request = self.context.get("request")  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        for name in self.visible_fields:
            field = fields[name]
            target = getattr(field, "child_relation", field)
            queryset = target.queryset
            if hasattr(queryset, "visible_to"):
                target.queryset = queryset.visible_to(user)
        return fields


class FollowUpInlineSerializer(serializers.Serializer):
    """A follow-up created together with an interaction."""

    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    due_date = serializers.DateField()
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True
    )


class InteractionSerializer(VisibleRelatedMixin, serializers.ModelSerializer):
    organizations = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Organization.objects.all(), required=False
    )
    people = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Person.objects.all(), required=False
    )
    users = serializers.PrimaryKeyRelatedField(
        many=True, queryset=get_user_model().objects.filter(is_active=True), required=False
    )
    follow_up = FollowUpInlineSerializer(
        write_only=True, required=False, help_text="Create a follow-up with the interaction."
    )
    url = serializers.URLField(source="get_absolute_url", read_only=True)

    visible_fields = ("organizations", "people")

    class Meta:
        model = Interaction
        fields = [
            "id",
            "url",
            "kind",
            "direction",
            "occurred_at",
            "duration_minutes",
            "subject",
            "body",
            "organizations",
            "people",
            "users",
            "follow_up",
            "owner",
            "team",
            "source",
            "thread",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["owner", "team", "source", "thread", "created_at", "updated_at"]


class FollowUpSerializer(VisibleRelatedMixin, serializers.ModelSerializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        help_text="Defaults to the user who creates the follow-up.",
    )
    is_overdue = serializers.BooleanField(read_only=True)
    url = serializers.URLField(source="get_absolute_url", read_only=True)

    visible_fields = ("organization", "person", "interaction")

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "url",
            "title",
            "notes",
            "due_date",
            "assignee",
            "status",
            "completed_at",
            "is_overdue",
            "organization",
            "person",
            "interaction",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["completed_at", "owner", "team", "created_at", "updated_at"]


class InteractionViewSet(ServiceModelViewSet):
    """Emails, calls, meetings, visits, letters and notes with their parties."""

    serializer_class = InteractionSerializer
    selector = staticmethod(selectors.interaction_api_list)
    create_service = staticmethod(services.interaction_create)
    update_service = staticmethod(services.interaction_update)
    delete_service = staticmethod(services.interaction_delete)
    filterset_class = InteractionFilterSet
    search_fields = ["subject", "body"]
    ordering_fields = ["occurred_at", "subject", "kind", "created_at", "id"]
    ordering = ["-occurred_at", "-id"]


class FollowUpViewSet(ServiceModelViewSet):
    """Tasks with a due date and an assignee; `overdue=true` lists the late ones."""

    serializer_class = FollowUpSerializer
    selector = staticmethod(selectors.followup_list)
    create_service = staticmethod(services.followup_create)
    update_service = staticmethod(services.followup_update)
    delete_service = staticmethod(services.followup_delete)
    filterset_class = FollowUpFilterSet
    search_fields = ["title", "notes"]
    ordering_fields = ["due_date", "status", "title", "created_at", "id"]
    ordering = ["due_date", "id"]

    def _status_action(self, service: Any) -> Response:
        followup = self.get_object()
        followup = self._call(service, actor=self.request.user, instance=followup)
        return Response(self.get_serializer(followup).data)

    @extend_schema(request=None, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Mark the follow-up done now."""
        return self._status_action(services.followup_complete)

    @extend_schema(request=None, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Open a done or cancelled follow-up again."""
        return self._status_action(services.followup_reopen)


router.register("interactions", InteractionViewSet, basename="interaction")
router.register("follow-ups", FollowUpViewSet, basename="followup")
