"""Portal accounts over the staff API: list, read, change permissions, switch off, invite."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from accord.core.api import ServiceModelViewSet
from accord.parties.models import Organization, Person

from . import selectors, services
from .filtersets import PortalAccountFilterSet
from .models import PortalAccount
from .views import _delete, _update


class PortalAccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = PortalAccount
        fields = [
            "id",
            "person",
            "organization",
            "email",
            "language",
            "is_active",
            "can_order",
            "can_see_invoices",
            "can_open_cases",
            "can_book_services",
            "invited_at",
            "accepted_at",
            "last_login",
        ]
        read_only_fields = [
            "id",
            "person",
            "organization",
            "email",
            "invited_at",
            "accepted_at",
            "last_login",
        ]


class InviteSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    organization = serializers.IntegerField(required=False)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default="de")
    can_order = serializers.BooleanField(default=True)
    can_see_invoices = serializers.BooleanField(default=True)
    can_open_cases = serializers.BooleanField(default=True)
    can_book_services = serializers.BooleanField(default=True)


class PortalAccountViewSet(ServiceModelViewSet):
    """Client portal accounts of the people you may see. Created by `invite` (which mails the
    person a link to choose a password), not by POST to the list."""

    serializer_class = PortalAccountSerializer
    selector = staticmethod(selectors.account_list)
    update_service = staticmethod(_update)
    delete_service = staticmethod(_delete)
    filterset_class = PortalAccountFilterSet
    http_method_names = ["get", "patch", "delete", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        return Response(
            {"detail": "Use invite/ to create a portal account."},
            status=status.HTTP_405_METHOD_NOT_ALLOWED,
        )

    @extend_schema(
        request=InviteSerializer,
        responses=inline_serializer(
            "PortalInvitation",
            {"account": PortalAccountSerializer(), "invitation_url": serializers.CharField()},
        ),
    )
    @action(detail=False, methods=["post"])
    def invite(self, request):
        data = InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = get_object_or_404(Person.objects.visible_to(request.user), pk=values.pop("person"))
        org_id = values.pop("organization", None)
        organization = (
            get_object_or_404(Organization.objects.visible_to(request.user), pk=org_id)
            if org_id
            else None
        )
        account, link = self._call(
            services.invite,
            actor=request.user,
            person=person,
            organization=organization,
            email=values.pop("email"),
            language=values.pop("language"),
            permissions=values,
            base_url=request.build_absolute_uri("/"),
        )
        return Response(
            {"account": PortalAccountSerializer(account).data, "invitation_url": link},
            status=status.HTTP_201_CREATED,
        )


router = DefaultRouter()
router.register("accounts", PortalAccountViewSet, basename="portal-account")
