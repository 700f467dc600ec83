"""REST API of the parties app: organizations, people, positions, addresses, numbers, relationships,
tags. Reads go through selectors (visibility), writes through services; serializers only validate."""

from __future__ import annotations

from django.db.models import Prefetch
from rest_framework.routers import DefaultRouter

from accord.core import visibility
from accord.core.api import ServiceModelViewSet

from . import selectors, services
from .filtersets import OrganizationFilterSet, PersonFilterSet, RelationshipFilterSet
from .merge_api import MergeActionMixin
from .models import Organization, Position
from .serializers import (
    OrganizationSerializer,
    PersonEmailSerializer,
    PersonPhoneSerializer,
    PersonSerializer,
    PositionSerializer,
    RelationshipSerializer,
    TagSerializer,
)


class ListFiltersOnlyMixin:
    """Filters (including "archived hidden by default") narrow lists; a record by id is always found."""

    def filter_queryset(self, queryset):
        if getattr(self, "action", None) != "list":
            return queryset
        return super().filter_queryset(queryset)  # type: ignore[misc]


class OrganizationViewSet(MergeActionMixin, ListFiltersOnlyMixin, ServiceModelViewSet):
    """Organizations with their roles (several at once) and tags."""

    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    search_fields = ["name", "legal_name", "city", "vat_id"]
    ordering_fields = ["name", "city", "country", "last_interaction_at", "created_at"]
    selector = staticmethod(selectors.organization_list)
    create_service = staticmethod(services.organization_create)
    update_service = staticmethod(services.organization_update)
    delete_service = staticmethod(services.organization_delete)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags")


class PersonViewSet(MergeActionMixin, ListFiltersOnlyMixin, ServiceModelViewSet):
    """People with their positions (at organizations you may see), addresses and numbers.

    On create, `emails` and `phones` may carry the first addresses and numbers; an address another
    person already has is refused (400, field `email`) unless `confirm_duplicate` is true.
    """

    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    search_fields = ["first_name", "last_name", "email"]
    ordering_fields = ["last_name", "first_name", "organization__name", "last_interaction_at"]
    selector = staticmethod(selectors.person_list)
    create_service = staticmethod(services.person_create)
    update_service = staticmethod(services.person_update)
    delete_service = staticmethod(services.person_delete)

    def get_queryset(self):
        positions = Position.objects.filter(
            visibility.visibility_q(Organization, self.request.user, prefix="organization__")
        ).select_related("organization")
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("positions", queryset=positions), "emails", "phones", "tags")
        )


class PositionViewSet(ServiceModelViewSet):
    """A person's positions over time; `end_date` before `start_date` is refused."""

    serializer_class = PositionSerializer
    filterset_fields = ["person", "organization", "buying_role", "is_primary"]
    ordering_fields = ["start_date", "end_date", "created_at"]
    selector = staticmethod(selectors.position_list)
    create_service = staticmethod(services.position_create)
    update_service = staticmethod(services.position_update)
    delete_service = staticmethod(services.position_delete)


class PersonEmailViewSet(ServiceModelViewSet):
    """Email addresses of people; one is primary. Duplicates across people need `confirm_duplicate`."""

    serializer_class = PersonEmailSerializer
    filterset_fields = ["person", "email", "is_primary"]
    search_fields = ["email"]
    selector = staticmethod(selectors.person_email_list)
    create_service = staticmethod(services.person_email_create)
    update_service = staticmethod(services.person_email_update)
    delete_service = staticmethod(services.person_email_remove)


class PersonPhoneViewSet(ServiceModelViewSet):
    """Phone numbers of people, stored in E.164 form."""

    serializer_class = PersonPhoneSerializer
    filterset_fields = ["person", "kind"]
    selector = staticmethod(selectors.person_phone_list)
    create_service = staticmethod(services.person_phone_create)
    update_service = staticmethod(services.person_phone_update)
    delete_service = staticmethod(services.person_phone_remove)


class RelationshipViewSet(ServiceModelViewSet):
    """Typed, dated edges between two organizations or two people."""

    serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilterSet
    ordering_fields = ["relationship_type", "start_date", "end_date", "created_at"]
    selector = staticmethod(selectors.relationship_list)
    create_service = staticmethod(services.relationship_create)
    update_service = staticmethod(services.relationship_update)
    delete_service = staticmethod(services.relationship_delete)


class TagViewSet(ServiceModelViewSet):
    """Shared labels; anyone who writes may add one, managers and admins rename or delete them."""

    serializer_class = TagSerializer
    search_fields = ["name"]
    ordering_fields = ["name"]
    selector = staticmethod(selectors.tag_list)
    create_service = staticmethod(services.tag_create)
    update_service = staticmethod(services.tag_update)
    delete_service = staticmethod(services.tag_delete)


router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("people", PersonViewSet, basename="person")
router.register("positions", PositionViewSet, basename="position")
router.register("emails", PersonEmailViewSet, basename="personemail")
router.register("phones", PersonPhoneViewSet, basename="personphone")
router.register("relationships", RelationshipViewSet, basename="relationship")
router.register("tags", TagViewSet, basename="tag")
