"""API of suppliers: categories and qualification questions (read by everyone signed in, changed
by administrators and managers), supplier profiles, their answers and documents (upload as
multipart). Serializers validate; the services write and apply the rules."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from accord.core import visibility
from accord.core.api import ServiceModelViewSet
from accord.parties.models import Organization

from ..filtersets.suppliers import (
    QualificationQuestionFilterSet,
    SupplierDocumentFilterSet,
    SupplierProfileFilterSet,
    SupplyCategoryFilterSet,
)
from ..models import (
    QualificationAnswer,
    QualificationQuestion,
    SupplierDocument,
    SupplierProfile,
    SupplyCategory,
)
from ..selectors import suppliers as selectors
from ..services import suppliers as services
from .router import router


class SupplyCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = SupplyCategory
        fields = ["id", "name", "parent", "description", "active", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class QualificationQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = QualificationQuestion
        fields = ["id", "text", "help", "required", "order", "active", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class SupplierProfileSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        help_text="An organization with the supplier or service-provider role that you may see.",
    )
    categories = serializers.PrimaryKeyRelatedField(
        queryset=SupplyCategory.objects.all(), many=True, required=False
    )

    class Meta:
        model = SupplierProfile
        fields = [
            "id",
            "url",
            "organization",
            "name",
            "categories",
            "kraljic_class",
            "supply_risk",
            "qualification_status",
            "qualification_note",
            "qualified_on",
            "notes",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["name", "owner", "team", "created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        allowed = visibility.visibility_q(Organization, user)
        if isinstance(self.instance, SupplierProfile):
            allowed |= Q(pk=self.instance.organization_id)
        fields["organization"].queryset = Organization.objects.filter(allowed)
        if isinstance(self.instance, SupplierProfile):
            fields["organization"].required = False
        return fields


class SupplierProfileViewSet(ServiceModelViewSet):
    """Supplier profiles under the visibility rule."""

    serializer_class = SupplierProfileSerializer
    selector = staticmethod(selectors.supplier_profile_list)
    create_service = staticmethod(services.supplier_profile_create)
    update_service = staticmethod(services.supplier_profile_update)
    delete_service = staticmethod(services.supplier_profile_delete)
    filterset_class = SupplierProfileFilterSet
    ordering_fields = ["name", "supply_risk", "qualification_status", "created_at", "id"]
    ordering = ["name", "id"]


class SupplyCategoryViewSet(ServiceModelViewSet):
    """Supply categories (also the cost categories of budgets)."""

    serializer_class = SupplyCategorySerializer
    selector = staticmethod(selectors.supply_category_list)
    create_service = staticmethod(services.supply_category_create)
    update_service = staticmethod(services.supply_category_update)
    delete_service = staticmethod(services.supply_category_delete)
    filterset_class = SupplyCategoryFilterSet
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]


class QualificationQuestionViewSet(ServiceModelViewSet):
    """The supplier qualification questionnaire."""

    serializer_class = QualificationQuestionSerializer
    selector = staticmethod(selectors.qualification_question_list)
    create_service = staticmethod(services.qualification_question_create)
    update_service = staticmethod(services.qualification_question_update)
    delete_service = staticmethod(services.qualification_question_delete)
    filterset_class = QualificationQuestionFilterSet
    ordering_fields = ["order", "id"]
    ordering = ["order", "id"]


def _visible_profiles(serializer: serializers.Serializer) -> Any:
    user = getattr(serializer.context.get("request"), "user", None)
    return SupplierProfile.objects.visible_to(user)


class QualificationAnswerSerializer(serializers.ModelSerializer):
    profile = serializers.PrimaryKeyRelatedField(queryset=SupplierProfile.objects.all())
    question = serializers.PrimaryKeyRelatedField(queryset=QualificationQuestion.objects.all())

    class Meta:
        model = QualificationAnswer
        fields = [
            "id",
            "profile",
            "question",
            "answer",
            "yes_no",
            "answered_by",
            "answered_at",
        ]
        read_only_fields = ["answered_by", "answered_at"]
        validators: list = []  # a second answer replaces the first (the service)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["profile"].queryset = _visible_profiles(self)
        return fields


class QualificationAnswerViewSet(ServiceModelViewSet):
    """Answers of supplier profiles; posting an answer to a question answered before replaces it."""

    serializer_class = QualificationAnswerSerializer
    selector = staticmethod(selectors.qualification_answer_list)
    delete_service = staticmethod(services.qualification_answer_delete)
    filterset_fields = ["profile", "question"]
    ordering_fields = ["id"]
    ordering = ["id"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = self._call(
            services.qualification_answer_save,
            actor=self.request.user,
            profile=data["profile"],
            question=data["question"],
            answer=data.get("answer", ""),
            yes_no=data.get("yes_no"),
        )


class SupplierDocumentSerializer(serializers.ModelSerializer):
    profile = serializers.PrimaryKeyRelatedField(queryset=SupplierProfile.objects.all())
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = SupplierDocument
        fields = [
            "id",
            "profile",
            "kind",
            "title",
            "file",
            "download_url",
            "issued_on",
            "valid_until",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"file": {"required": False, "write_only": True}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["profile"].queryset = _visible_profiles(self)
        return fields

    def get_download_url(self, obj: SupplierDocument) -> str | None:
        from django.urls import reverse

        return reverse("procurement:supplierdocument_download", args=[obj.pk]) if obj.file else None


class SupplierDocumentViewSet(ServiceModelViewSet):
    """Documents of supplier profiles (upload with multipart/form-data; download through the
    page link `download_url`, which checks visibility)."""

    serializer_class = SupplierDocumentSerializer
    selector = staticmethod(selectors.supplier_document_list)
    create_service = staticmethod(services.supplier_document_create)
    update_service = staticmethod(services.supplier_document_update)
    delete_service = staticmethod(services.supplier_document_delete)
    filterset_class = SupplierDocumentFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering_fields = ["valid_until", "id"]
    ordering = ["valid_until", "id"]


router.register("supplier-profiles", SupplierProfileViewSet, basename="supplierprofile")
router.register("supply-categories", SupplyCategoryViewSet, basename="supplycategory")
router.register(
    "qualification-questions", QualificationQuestionViewSet, basename="qualificationquestion"
)
router.register("qualification-answers", QualificationAnswerViewSet, basename="qualificationanswer")
router.register("supplier-documents", SupplierDocumentViewSet, basename="supplierdocument")
