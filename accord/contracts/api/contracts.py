"""API of contracts: the collection (filters as on the list page) with each contract's key dates,
`documents/` (list, upload) and `documents/<id>/` download on one contract, `portfolio/` and
`calendar/`. Serializers validate; the services write and apply the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import parsers, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accord.core import visibility
from accord.core.api import ServiceModelViewSet
from accord.parties.models import Organization
from accord.pipeline.models import Opportunity

from ..filtersets.contracts import ContractFilterSet
from ..models.contracts import (
    Contract,
    ContractDocument,
    ContractSide,
    ContractStatus,
    ContractType,
    NoticeUnit,
)
from ..selectors import contracts as selectors
from ..services import contracts as services
from .router import router

MAX_CALENDAR_DAYS = 400


def named_choice_field(
    choices: Any, component: str, doc: str = ""
) -> type[serializers.ChoiceField]:
    """A choice field whose enum has its own name in the schema (no naming collisions)."""

    @extend_schema_field({"type": "string", "enum": list(choices.values)}, component_name=component)
    class NamedChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(choices=choices.choices, **kwargs)

    NamedChoiceField.__doc__ = doc or component
    NamedChoiceField.__name__ = component.removesuffix("Enum") + "Field"
    return NamedChoiceField


ContractSideField = named_choice_field(ContractSide, "ContractSideEnum")
ContractTypeField = named_choice_field(ContractType, "ContractTypeEnum")
ContractStatusField = named_choice_field(ContractStatus, "ContractStatusEnum")
NoticeUnitField = named_choice_field(NoticeUnit, "NoticeUnitEnum")


class KeyDatesSerializer(serializers.Serializer):
    term_end = serializers.DateField(
        allow_null=True, help_text="End of the term running today (rolled forward when renewing)."
    )
    notice_deadline = serializers.DateField(
        allow_null=True, help_text="Last day to give notice to end the contract at term_end."
    )
    renewal_date = serializers.DateField(
        allow_null=True, help_text="The day the next term starts (renewing contracts)."
    )
    next_term_end = serializers.DateField(allow_null=True)
    next_notice_deadline = serializers.DateField(allow_null=True)
    earliest_end = serializers.DateField(
        allow_null=True,
        help_text="Open-ended contracts: the earliest end if notice were given today.",
    )
    renewals_so_far = serializers.IntegerField()


class ContractDocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    file = serializers.FileField(write_only=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)

    class Meta:
        model = ContractDocument
        fields = ["id", "contract", "title", "file", "download_url", "uploaded_by", "uploaded_at"]
        read_only_fields = ["contract", "uploaded_by", "uploaded_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_download_url(self, obj: ContractDocument) -> str:
        return f"/api/contracts/contracts/{obj.contract_id}/documents/{obj.pk}/"


class ContractSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    side = ContractSideField(required=False)
    contract_type = ContractTypeField(required=False)
    status = ContractStatusField(required=False)
    notice_unit = NoticeUnitField(required=False)
    counterparty = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        help_text="Id of an organization you may see.",
        error_messages={"does_not_exist": _("No organization you may see has the id {pk_value}.")},
    )
    further_parties = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        many=True,
        required=False,
        help_text="Ids of further organizations you may see.",
    )
    opportunity = serializers.PrimaryKeyRelatedField(
        queryset=Opportunity.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of an opportunity you may see.",
    )
    key_dates = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "url",
            "title",
            "number",
            "side",
            "contract_type",
            "counterparty",
            "counterparty_name",
            "further_parties",
            "business_unit",
            "value",
            "currency",
            "start_date",
            "end_date",
            "auto_renewal",
            "renewal_term_months",
            "notice_period",
            "notice_unit",
            "status",
            "terminated_on",
            "opportunity",
            "notes",
            "key_dates",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["counterparty_name", "owner", "team", "created_at", "updated_at"]
        extra_kwargs = {"number": {"validators": []}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        instance = self.instance if isinstance(self.instance, Contract) else None
        allowed = visibility.visibility_q(Organization, user)
        if instance is not None:
            allowed |= Q(pk=instance.counterparty_id) | Q(
                pk__in=instance.further_parties.values("pk")
            )
        fields["counterparty"].queryset = Organization.objects.filter(allowed)
        fields["further_parties"].child_relation.queryset = Organization.objects.filter(allowed)
        fields["business_unit"].queryset = Organization.objects.filter(
            visibility.visibility_q(Organization, user), is_internal=True
        )
        opp_allowed = visibility.visibility_q(Opportunity, user)
        if instance is not None and instance.opportunity_id:
            opp_allowed |= Q(pk=instance.opportunity_id)
        fields["opportunity"].queryset = Opportunity.objects.filter(opp_allowed)
        return fields

    def to_representation(self, instance: Contract) -> dict[str, Any]:
        data = super().to_representation(instance)
        user = getattr(self.context.get("request"), "user", None)
        prefetched = getattr(instance, "_prefetched_objects_cache", {}).get("further_parties")
        if prefetched is not None and user is not None and not visibility.sees_everything(user):
            visible = set(
                Organization.objects.visible_to(user)
                .filter(pk__in=[o.pk for o in prefetched])
                .values_list("pk", flat=True)
            )
            data["further_parties"] = [pk for pk in data["further_parties"] if pk in visible]
        return data

    @extend_schema_field(KeyDatesSerializer)
    def get_key_dates(self, obj: Contract) -> dict[str, Any]:
        keys = selectors.contract_key_dates(obj)
        return KeyDatesSerializer(
            {
                "term_end": keys.term_end,
                "notice_deadline": keys.notice_deadline,
                "renewal_date": keys.renewal_date,
                "next_term_end": keys.next_term_end,
                "next_notice_deadline": keys.next_notice_deadline,
                "earliest_end": keys.earliest_end,
                "renewals_so_far": keys.renewals_so_far,
            }
        ).data


class BucketSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=18, decimal_places=2)


class CounterpartyValueSerializer(serializers.Serializer):
    organization = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    count = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=18, decimal_places=2)


class TypeValueSerializer(serializers.Serializer):
    contract_type = ContractTypeField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=18, decimal_places=2)


class ExpiringSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    count = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=18, decimal_places=2)


class CurrencyPortfolioSerializer(serializers.Serializer):
    currency = serializers.CharField()
    total = BucketSerializer()
    by_counterparty = CounterpartyValueSerializer(many=True, help_text="The 15 largest.")
    other_counterparties = BucketSerializer(help_text="All other counterparties together.")
    by_type = TypeValueSerializer(many=True)
    expiring = ExpiringSerializer(many=True, help_text="Not renewing, ending within the days.")
    at_risk = BucketSerializer(
        help_text="Not renewing; notice deadline or end within the next 90 days."
    )
    at_risk_contracts = serializers.ListField(child=serializers.IntegerField())


class CalendarEventSerializer(serializers.Serializer):
    day = serializers.DateField()
    kind = serializers.ChoiceField(choices=["notice", "renewal", "end", "due"])
    title = serializers.CharField()
    url = serializers.CharField()
    contract = serializers.IntegerField(allow_null=True, source="contract_id")
    commitment = serializers.IntegerField(allow_null=True, source="commitment_id")
    overdue = serializers.BooleanField()


class CalendarParamsSerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        today = timezone.localdate()
        start = attrs.get("start") or today.replace(day=1)
        end = attrs.get("end") or (start + dt.timedelta(days=31))
        if end < start:
            raise serializers.ValidationError({"end": _("“end” must not be before “start”.")})
        if (end - start).days > MAX_CALENDAR_DAYS:
            raise serializers.ValidationError(
                {"end": _("Ask for at most %(days)d days at once.") % {"days": MAX_CALENDAR_DAYS}}
            )
        return {"start": start, "end": end}


def portfolio_data(entries: list[selectors.CurrencyPortfolio]) -> list[dict[str, Any]]:
    return [
        {
            "currency": p.currency,
            "total": {"count": p.total.count, "value": p.total.value},
            "by_counterparty": [
                {
                    "organization": org.pk if org else None,
                    "name": org.name if org else "",
                    "count": b.count,
                    "value": b.value,
                }
                for org, b in p.by_counterparty
            ],
            "other_counterparties": {
                "count": p.other_counterparties.count,
                "value": p.other_counterparties.value,
            },
            "by_type": [
                {"contract_type": k, "label": label, "count": b.count, "value": b.value}
                for k, label, b in p.by_type
            ],
            "expiring": [
                {"days": days, "count": b.count, "value": b.value}
                for days, b in sorted(p.expiring.items())
            ],
            "at_risk": {"count": p.at_risk.count, "value": p.at_risk.value},
            "at_risk_contracts": [c.pk for c in p.at_risk_contracts],
        }
        for p in entries
    ]


class ContractViewSet(ServiceModelViewSet):
    """Contracts under the visibility rule, with their key dates."""

    serializer_class = ContractSerializer
    selector = staticmethod(selectors.contract_api_list)
    create_service = staticmethod(services.contract_create)
    update_service = staticmethod(services.contract_update)
    delete_service = staticmethod(services.contract_delete)
    filterset_class = ContractFilterSet
    ordering_fields = ["start_date", "end_date", "title", "value", "created_at", "id"]
    ordering = ["-start_date", "-id"]

    @extend_schema(
        methods=["get"], responses=ContractDocumentSerializer(many=True), summary="Documents"
    )
    @extend_schema(
        methods=["post"],
        request={"multipart/form-data": ContractDocumentSerializer},
        responses={201: ContractDocumentSerializer},
        summary="Upload a document",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[parsers.MultiPartParser, parsers.FormParser],
        filter_backends=[],
        pagination_class=None,
    )
    def documents(self, request, pk=None):
        """The contract's documents; POST (multipart: `file`, optional `title`) adds one."""
        contract = self.get_object()
        if request.method == "GET":
            docs = ContractDocument.objects.filter(contract=contract)
            return Response(ContractDocumentSerializer(docs, many=True).data)
        params = ContractDocumentSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        document = self._call(
            services.contract_document_add,
            actor=request.user,
            contract=contract,
            title=params.validated_data.get("title", ""),
            file=params.validated_data["file"],
        )
        return Response(ContractDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        summary="Download a document",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>\d+)",
        filter_backends=[],
        pagination_class=None,
    )
    def document(self, request, pk=None, document_id=None):
        """The file of one of the contract's documents."""
        contract = self.get_object()
        document = ContractDocument.objects.filter(contract=contract, pk=document_id).first()
        if document is None or not document.file:
            raise Http404
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        name = document.file.name.rsplit("/", 1)[-1]
        return FileResponse(handle, as_attachment=True, filename=name)

    @extend_schema(
        parameters=[OpenApiParameter("side", str, enum=ContractSide.values)],
        responses=CurrencyPortfolioSerializer(many=True),
        summary="Portfolio figures per currency",
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def portfolio(self, request):
        """Active contracts you may see, per currency: value by counterparty and type, expiring
        within 30/90/180 days, value at risk."""
        side = request.query_params.get("side", "")
        if side and side not in ContractSide.values:
            raise serializers.ValidationError({"side": _("Choose a valid side.")})
        entries = selectors.portfolio(request.user, side=side)
        return Response(CurrencyPortfolioSerializer(portfolio_data(entries), many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description="YYYY-MM-DD; default: first of this month"),
            OpenApiParameter("end", str, description="YYYY-MM-DD; default: start + 31 days"),
        ],
        responses=CalendarEventSerializer(many=True),
        summary="Notice deadlines, renewals, ends and commitment due dates",
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def calendar(self, request):
        """Dated events between start and end (at most 400 days) that you may see."""
        params = CalendarParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        events = selectors.calendar_events(
            request.user, params.validated_data["start"], params.validated_data["end"]
        )
        return Response(CalendarEventSerializer(events, many=True).data)


router.register("contracts", ContractViewSet, basename="contract")
