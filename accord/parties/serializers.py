"""API serializers of the parties app: they validate and present; the services write.

Related rows are chosen by id among those the requesting user may see; tags by name or id.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .choices import ContactKind, OrganizationRole
from .models import Organization, Person, PersonEmail, PersonPhone, Position, Relationship, Tag


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A related row by id, among the rows the requesting user may see (others: "does not exist")."""

    def get_queryset(self):
        qs = super().get_queryset()
        request = self.context.get("request")
        return qs.visible_to(getattr(request, "user", None))


class TeamField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        from django.apps import apps

        return apps.get_model("users", "Team").objects.all()


def owner_field() -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=gettext_lazy("User id; left out on create: you."),
    )


@extend_schema_field(
    {
        "type": "array",
        "items": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "description": "Tag names (new names create the tag) or tag ids; read as names.",
    }
)
class TagListField(serializers.Field):
    """Tags written as names or ids, read as names."""

    default_error_messages = {
        "not_a_list": gettext_lazy("Give a list of tag names or ids."),
        "bad_item": gettext_lazy("A tag is a name (text) or an id (number)."),
    }

    def to_representation(self, value) -> list[str]:
        return [tag.name for tag in value.all()]

    def to_internal_value(self, data: Any) -> list[Any]:
        if not isinstance(data, list):
            self.fail("not_a_list")
        for item in data:
            if isinstance(item, bool) or not isinstance(item, int | str):
                self.fail("bad_item")
            if isinstance(item, str) and len(item.strip()) > 60:
                raise serializers.ValidationError(_("A tag name has at most 60 characters."))
        return data


@extend_schema_field(
    {"type": "string", "enum": list(ContactKind.values)}, component_name="ContactKindEnum"
)
class ContactKindField(serializers.ChoiceField):
    """The kind of an address or number (inline enum: "kind" names another enum in the schema)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(choices=ContactKind.choices, **kwargs)


class OrganizationSerializer(CountryFieldMixin, serializers.ModelSerializer):
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganizationRole.choices),
        required=False,
        help_text=gettext_lazy("The roles the organization holds (several at once)."),
    )
    tags = TagListField(required=False)
    owner = owner_field()
    team = TeamField(required=False, allow_null=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "web_url",
            "name",
            "legal_name",
            "roles",
            "industry",
            "size",
            "website",
            "email",
            "phone",
            "vat_id",
            "street",
            "postal_code",
            "city",
            "region",
            "country",
            "tags",
            "notes",
            "external_id",
            "owner",
            "team",
            "is_archived",
            "last_interaction_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["last_interaction_at", "created_at", "updated_at"]


class PositionInlineSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Position
        fields = [
            "id",
            "organization",
            "organization_name",
            "title",
            "department",
            "buying_role",
            "start_date",
            "end_date",
            "is_primary",
            "is_current",
        ]
        read_only_fields = fields


class EmailInlineSerializer(serializers.ModelSerializer):
    kind = ContactKindField()

    class Meta:
        model = PersonEmail
        fields = ["id", "email", "kind", "is_primary"]
        read_only_fields = ["id"]


class PhoneInlineSerializer(serializers.ModelSerializer):
    kind = ContactKindField()
    number_display = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = PersonPhone
        fields = ["id", "number", "number_display", "kind"]
        read_only_fields = ["id"]


class PersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, default=None, allow_null=True
    )
    positions = PositionInlineSerializer(many=True, read_only=True)
    emails = EmailInlineSerializer(
        many=True,
        required=False,
        help_text=gettext_lazy("On create: the person's addresses. Later: use /emails/."),
    )
    phones = PhoneInlineSerializer(
        many=True,
        required=False,
        help_text=gettext_lazy("On create: the person's numbers. Later: use /phones/."),
    )
    tags = TagListField(required=False)
    owner = owner_field()
    team = TeamField(required=False, allow_null=True)
    confirm_duplicate = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=gettext_lazy("Add an address even though another person has it."),
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "web_url",
            "salutation",
            "academic_title",
            "first_name",
            "last_name",
            "full_name",
            "organization",
            "organization_name",
            "job_title",
            "email",
            "positions",
            "emails",
            "phones",
            "tags",
            "notes",
            "external_id",
            "owner",
            "team",
            "is_archived",
            "last_interaction_at",
            "created_at",
            "updated_at",
            "confirm_duplicate",
        ]
        read_only_fields = [
            "organization",
            "job_title",
            "email",
            "last_interaction_at",
            "created_at",
            "updated_at",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and ("emails" in attrs or "phones" in attrs):
            key = "emails" if "emails" in attrs else "phones"
            raise serializers.ValidationError(
                {key: _("Change addresses and numbers through /emails/ and /phones/.")}
            )
        return attrs  # confirm_duplicate goes to the service, which decides


class PositionSerializer(serializers.ModelSerializer):
    person = VisibleRelatedField(queryset=Person.objects.all())
    organization = VisibleRelatedField(queryset=Organization.objects.all())
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Position
        fields = [
            "id",
            "person",
            "organization",
            "organization_name",
            "title",
            "department",
            "buying_role",
            "start_date",
            "end_date",
            "is_primary",
            "is_current",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class PersonEmailSerializer(serializers.ModelSerializer):
    person = VisibleRelatedField(queryset=Person.objects.all())
    kind = ContactKindField()
    confirm_duplicate = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = PersonEmail
        fields = ["id", "person", "email", "kind", "is_primary", "confirm_duplicate"]
        validators: list = []  # the same address twice on one person: the service says so, on "email"


class PersonPhoneSerializer(serializers.ModelSerializer):
    person = VisibleRelatedField(queryset=Person.objects.all())
    kind = ContactKindField()
    number_display = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = PersonPhone
        fields = ["id", "person", "number", "number_display", "kind"]


class RelationshipSerializer(serializers.ModelSerializer):
    from_organization = VisibleRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    to_organization = VisibleRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    from_person = VisibleRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    to_person = VisibleRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    owner = owner_field()
    team = TeamField(required=False, allow_null=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Relationship
        fields = [
            "id",
            "web_url",
            "relationship_type",
            "from_organization",
            "to_organization",
            "from_person",
            "to_person",
            "start_date",
            "end_date",
            "notes",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name"]
