"""API of the commitments ledger (filters as on the ledger page). Serializers validate; the
services write and apply the rules."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accord.core import visibility
from accord.core.api import ServiceModelViewSet
from accord.parties.models import Organization, Person

from ..filtersets.commitments import CommitmentFilterSet
from ..models.commitments import Commitment, CommitmentKind, CommitmentSide, CommitmentStatus
from ..models.contracts import Contract
from ..selectors import commitments as selectors
from ..services import commitments as services
from .contracts import named_choice_field
from .router import router

CommitmentSideField = named_choice_field(CommitmentSide, "CommitmentSideEnum")
CommitmentKindField = named_choice_field(CommitmentKind, "CommitmentKindEnum")
CommitmentStatusField = named_choice_field(CommitmentStatus, "CommitmentStatusEnum")

_LINKS: dict[str, Any] = {"contract": Contract, "organization": Organization, "person": Person}


class CommitmentSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    side = CommitmentSideField(required=False)
    kind = CommitmentKindField(required=False)
    status = CommitmentStatusField(required=False)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "url",
            "title",
            "side",
            "kind",
            "status",
            "due_date",
            "fulfilled_on",
            "is_overdue",
            "contract",
            "organization",
            "person",
            "source",
            "description",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["owner", "team", "created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        instance = self.instance if isinstance(self.instance, Commitment) else None
        for name, model in _LINKS.items():
            allowed = visibility.visibility_q(model, user)
            current = getattr(instance, f"{name}_id", None) if instance is not None else None
            if current is not None:
                allowed |= Q(pk=current)
            fields[name].queryset = model.objects.filter(allowed)
            fields[name].error_messages["does_not_exist"] = _(
                "No record you may see has the id {pk_value}."
            )
        return fields


class CommitmentViewSet(ServiceModelViewSet):
    """The commitments ledger under the visibility rule (`?overdue=true` for the overdue ones)."""

    serializer_class = CommitmentSerializer
    selector = staticmethod(selectors.commitment_api_list)
    create_service = staticmethod(services.commitment_create)
    update_service = staticmethod(services.commitment_update)
    delete_service = staticmethod(services.commitment_delete)
    filterset_class = CommitmentFilterSet
    ordering_fields = ["due_date", "title", "status", "created_at", "id"]
    ordering = ["due_date", "id"]


router.register("commitments", CommitmentViewSet, basename="commitment")
