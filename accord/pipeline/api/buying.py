"""API of buying centers: members per opportunity (filter by `opportunity`); writes go through
the services (visibility, position at the client, one role per person)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accord.core.api import ServiceModelViewSet
from accord.parties.choices import BuyingRole
from accord.parties.models import Person

from .. import selectors
from ..models import BuyingCenterMember
from ..selectors import buying as buying_selectors
from ..services import buying as buying_services
from .router import router


def enum_schema(choices: list[tuple[str, str]]) -> dict:
    """An enum component as drf-spectacular writes one, so that a choice set used under several
    field names gets a name of its own instead of a warning (drf-spectacular names inline
    enums by field name)."""
    return {
        "type": "string",
        "enum": [value for value, _label in choices],
        "description": "\n".join(f"* `{value}` - {label}" for value, label in choices),
    }


@extend_schema_field(enum_schema(BuyingRole.choices), component_name="BuyingCenterRoleEnum")
class BuyingRoleField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=BuyingRole.choices, **kwargs)


class BuyingCenterMemberSerializer(serializers.ModelSerializer):
    role = BuyingRoleField()
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        help_text="A person the caller may see, with a position (now or before) at the "
        "opportunity's organization.",
    )

    class Meta:
        model = BuyingCenterMember
        fields = [
            "id",
            "opportunity",
            "person",
            "person_name",
            "role",
            "from_position",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["from_position", "created_at", "updated_at"]
        # the services check the rules with messages naming the field (duplicates included)
        validators: list = []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        fields["opportunity"].queryset = selectors.opportunity_list(getattr(request, "user", None))
        return fields


class BuyingCenterMemberViewSet(ServiceModelViewSet):
    """Members of the buying centers of the opportunities the caller may see."""

    serializer_class = BuyingCenterMemberSerializer
    selector = staticmethod(buying_selectors.buying_center_member_list)
    create_service = staticmethod(buying_services.buying_center_member_create)
    update_service = staticmethod(buying_services.buying_center_member_update)
    delete_service = staticmethod(buying_services.buying_center_member_remove)
    filterset_fields = ["opportunity", "person", "role"]
    ordering_fields = ["role", "created_at", "id"]
    ordering = ["opportunity", "role", "id"]


router.register("buying-center", BuyingCenterMemberViewSet, basename="buyingcentermember")
