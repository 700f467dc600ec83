"""API of quotes, orders, invoices, payments, recurring orders and bank statements. Lines are
nested (read and replace); actions: quotes/{id}/accept/, quotes/{id}/pdf/, orders/{id}/status/,
invoices/{id}/pdf/, invoices/{id}/cancel/, invoices/{id}/apply-credit/, bank-statements/ (upload
and import), bank-statements/rows/{id}/assign/. Serializers validate; the services write."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accord.core.api import ServiceModelViewSet, as_drf_error

from .. import selectors, services
from ..choices import (
    BankRowStatus,
    DocumentLanguage,
    IntervalUnit,
    InvoiceStatus,
    OrderStatus,
    PaymentMethod,
    QuoteStatus,
    VatRate,
)
from ..documents import invoice_document, quote_document, render_pdf
from ..filtersets import (
    BankStatementFilterSet,
    InvoiceFilterSet,
    OrderFilterSet,
    PaymentFilterSet,
    QuoteFilterSet,
    RecurringOrderFilterSet,
)
from ..models import (
    BankStatement,
    BankStatementRow,
    Invoice,
    Order,
    Payment,
    Quote,
    RecurringOrder,
)
from ..pricing import document_totals
from .router import router


def _named_choice(choices: Any, component: str) -> type[serializers.ChoiceField]:
    """A choice field whose enum has its own name in the schema (statuses of several models
    would collide as "StatusEnum")."""

    @extend_schema_field({"type": "string", "enum": list(choices.values)}, component_name=component)
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(choices=choices.choices, **kwargs)

    Field.__name__ = component.removesuffix("Enum") + "Field"
    return Field


VatRateField = _named_choice(VatRate, "VatRateEnum")
QuoteStatusField = _named_choice(QuoteStatus, "QuoteStatusEnum")
OrderStatusField = _named_choice(OrderStatus, "SalesOrderStatusEnum")
InvoiceStatusField = _named_choice(InvoiceStatus, "InvoiceStatusEnum")
LanguageField = _named_choice(DocumentLanguage, "DocumentLanguageEnum")
MethodField = _named_choice(PaymentMethod, "PaymentMethodEnum")
IntervalUnitField = _named_choice(IntervalUnit, "IntervalUnitEnum")
BankRowStatusField = _named_choice(BankRowStatus, "BankRowStatusEnum")


class LineSerializer(serializers.Serializer):
    """One document line; the net amount is computed (rounded to cents)."""

    product = serializers.IntegerField(required=False, allow_null=True, source="product_id")
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    unit_price = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    discount = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    vat_rate = VatRateField(required=False)
    net = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)


class OrderLineSerializer(LineSerializer):
    delivery_date = serializers.DateField(required=False, allow_null=True)


class TotalsSerializer(serializers.Serializer):
    net = serializers.DecimalField(max_digits=14, decimal_places=2)
    vat = serializers.DecimalField(max_digits=14, decimal_places=2)
    gross = serializers.DecimalField(max_digits=14, decimal_places=2)


def _lines_in(data: dict[str, Any]) -> None:
    """Nested lines as the services take them (`product` is an id)."""
    if "lines" in data and data["lines"] is not None:
        data["lines"] = [
            {("product" if k == "product_id" else k): v for k, v in dict(line).items()}
            for line in data["lines"]
        ]


class _DocumentSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    totals = serializers.SerializerMethodField()

    @extend_schema_field(TotalsSerializer)
    def get_totals(self, obj: Any) -> dict[str, Any]:
        totals = document_totals(obj.lines.all())
        # money as strings, like every other amount of the API (no binary floating point)
        return {"net": str(totals.net), "vat": str(totals.vat), "gross": str(totals.gross)}


class QuoteSerializer(_DocumentSerializer):
    lines = LineSerializer(many=True, required=False, help_text="Replaces all lines when sent.")
    status = QuoteStatusField(required=False)
    language = LanguageField(required=False)

    class Meta:
        model = Quote
        fields = [
            "id",
            "url",
            "number",
            "organization",
            "contact",
            "opportunity",
            "currency",
            "issued_on",
            "valid_until",
            "status",
            "language",
            "notes",
            "lines",
            "totals",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["number", "created_at", "updated_at"]
        extra_kwargs = {"organization": {"required": False}}


class _LinesViewSet(ServiceModelViewSet):
    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        _lines_in(data)
        serializer.instance = self._call(
            type(self).create_service, actor=self.request.user, data=data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        _lines_in(data)
        serializer.instance = self._call(
            type(self).update_service,
            actor=self.request.user,
            instance=serializer.instance,
            data=data,
        )

    def _pdf(self, obj: Any, build: Any) -> HttpResponse:
        document = build(obj)
        response = HttpResponse(render_pdf(document), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{document.number}.pdf"'
        return response


class OrderSerializer(_DocumentSerializer):
    lines = OrderLineSerializer(
        many=True, required=False, help_text="Replaces all lines when sent."
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "url",
            "number",
            "organization",
            "quote",
            "opportunity",
            "recurring",
            "status",
            "ordered_on",
            "currency",
            "language",
            "customer_reference",
            "notes",
            "lines",
            "totals",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["number", "recurring", "created_at", "updated_at"]


class AcceptSerializer(serializers.Serializer):
    ordered_on = serializers.DateField(required=False)
    customer_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


class QuoteViewSet(_LinesViewSet):
    """Quotes with their lines; `accept/` creates the order, `pdf/` prints the quote."""

    serializer_class = QuoteSerializer
    selector = staticmethod(selectors.quote_list)
    create_service = staticmethod(services.quote_create)
    update_service = staticmethod(services.quote_update)
    delete_service = staticmethod(services.quote_delete)
    filterset_class = QuoteFilterSet
    ordering_fields = ["issued_on", "valid_until", "number", "id"]
    ordering = ["-issued_on", "-id"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("lines")

    @extend_schema(request=AcceptSerializer, responses={201: OrderSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the quote: creates the order from its lines (refused when expired, declined
        or accepted already)."""
        quote = self.get_object()
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        order = self._call(
            services.quote_accept, actor=request.user, quote=quote, data=body.validated_data
        )
        return Response(
            OrderSerializer(order, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The quote as PDF, in its document language."""
        return self._pdf(self.get_object(), quote_document)


class OrderStatusSerializer(serializers.Serializer):
    status = OrderStatusField()


class OrderViewSet(_LinesViewSet):
    """Orders with their lines; `status/` moves the status along the allowed transitions."""

    serializer_class = OrderSerializer
    selector = staticmethod(selectors.order_list)
    create_service = staticmethod(services.order_create)
    update_service = staticmethod(services.order_update)
    delete_service = staticmethod(services.order_delete)
    filterset_class = OrderFilterSet
    ordering_fields = ["ordered_on", "number", "id"]
    ordering = ["-ordered_on", "-id"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("lines")

    @extend_schema(request=OrderStatusSerializer, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        order = self.get_object()
        body = OrderStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        order = self._call(
            services.order_set_status,
            actor=request.user,
            order=order,
            status=body.validated_data["status"],
        )
        return Response(OrderSerializer(order, context=self.get_serializer_context()).data)


class InvoiceSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    open_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    days_overdue = serializers.SerializerMethodField()
    status = InvoiceStatusField(read_only=True)
    language = LanguageField(required=False)
    apply_credit = serializers.BooleanField(
        write_only=True, required=False, help_text="Use the organization's credit at once."
    )

    class Meta:
        model = Invoice
        fields = [
            "id",
            "url",
            "number",
            "order",
            "organization",
            "issued_on",
            "payment_terms_days",
            "due_on",
            "share_percent",
            "currency",
            "language",
            "net_amount",
            "vat_amount",
            "gross_amount",
            "paid_amount",
            "open_amount",
            "days_overdue",
            "status",
            "paid_on",
            "notes",
            "apply_credit",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "number",
            "organization",
            "due_on",
            "currency",
            "net_amount",
            "vat_amount",
            "gross_amount",
            "paid_amount",
            "status",
            "paid_on",
            "created_at",
            "updated_at",
        ]

    def get_days_overdue(self, obj: Invoice) -> int:
        return obj.days_overdue()


class InvoiceViewSet(ServiceModelViewSet):
    """Invoices of orders; `overdue=true` lists the overdue ones; `pdf/`, `cancel/`,
    `apply-credit/`."""

    serializer_class = InvoiceSerializer
    selector = staticmethod(selectors.invoice_list)
    create_service = staticmethod(services.invoice_create)
    update_service = staticmethod(services.invoice_update)
    delete_service = staticmethod(services.invoice_delete)
    filterset_class = InvoiceFilterSet
    ordering_fields = ["issued_on", "due_on", "number", "gross_amount", "id"]
    ordering = ["-issued_on", "-id"]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The invoice as PDF, in its document language."""
        document = invoice_document(self.get_object())
        response = HttpResponse(render_pdf(document), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{document.number}.pdf"'
        return response

    @extend_schema(request=None, responses=InvoiceSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the invoice; what was paid on it becomes credit."""
        invoice = self._call(services.invoice_cancel, actor=request.user, invoice=self.get_object())
        return Response(InvoiceSerializer(invoice, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=InvoiceSerializer)
    @action(detail=True, methods=["post"], url_path="apply-credit")
    def apply_credit(self, request, pk=None):
        """Use the organization's credit for the open amount."""
        invoice = self.get_object()
        self._call(services.invoice_apply_credit, actor=request.user, invoice=invoice)
        invoice.refresh_from_db()
        return Response(InvoiceSerializer(invoice, context=self.get_serializer_context()).data)


class PaymentSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    method = MethodField(required=False)

    class Meta:
        model = Payment
        fields = [
            "id",
            "url",
            "organization",
            "invoice",
            "amount",
            "currency",
            "received_on",
            "method",
            "reference",
            "applied_amount",
            "credited_amount",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["applied_amount", "credited_amount", "created_at", "updated_at"]
        extra_kwargs = {"organization": {"required": False}, "currency": {"required": False}}


class PaymentViewSet(ServiceModelViewSet):
    """Payments; what exceeds the invoice's open amount becomes the organization's credit
    (`credited_amount`)."""

    serializer_class = PaymentSerializer
    selector = staticmethod(selectors.payment_list)
    create_service = staticmethod(services.payment_create)
    update_service = staticmethod(services.payment_update)
    delete_service = staticmethod(services.payment_delete)
    filterset_class = PaymentFilterSet
    ordering_fields = ["received_on", "amount", "id"]
    ordering = ["-received_on", "-id"]


class RecurringOrderSerializer(_DocumentSerializer):
    lines = LineSerializer(many=True, required=False, help_text="Replaces all lines when sent.")
    interval_unit = IntervalUnitField(required=False)
    language = LanguageField(required=False)

    class Meta:
        model = RecurringOrder
        fields = [
            "id",
            "url",
            "name",
            "organization",
            "interval",
            "interval_unit",
            "next_on",
            "end_on",
            "active",
            "currency",
            "language",
            "notes",
            "lines",
            "totals",
            "owner",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class RecurringOrderViewSet(_LinesViewSet):
    serializer_class = RecurringOrderSerializer
    selector = staticmethod(selectors.recurring_order_list)
    create_service = staticmethod(services.recurring_order_create)
    update_service = staticmethod(services.recurring_order_update)
    delete_service = staticmethod(services.recurring_order_delete)
    filterset_class = RecurringOrderFilterSet
    ordering_fields = ["next_on", "name", "id"]
    ordering = ["next_on", "id"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("lines")


class BankRowSerializer(serializers.ModelSerializer):
    status = BankRowStatusField(read_only=True)

    class Meta:
        model = BankStatementRow
        fields = [
            "id",
            "row_number",
            "booked_on",
            "amount",
            "currency",
            "reference",
            "payer_name",
            "payer_iban",
            "status",
            "flag",
            "invoice",
            "payment",
        ]
        read_only_fields = fields


class BankStatementSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    rows = BankRowSerializer(many=True, read_only=True)

    class Meta:
        model = BankStatement
        fields = ["id", "url", "name", "counts", "errors", "rows", "owner", "created_at"]
        read_only_fields = fields


class BankStatementUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV: date, amount, reference, payer name, IBAN.")


class BankRowAssignSerializer(serializers.Serializer):
    invoice = serializers.IntegerField(required=False, allow_null=True)
    organization = serializers.IntegerField(
        required=False, allow_null=True, help_text="Without an invoice: booked as credit."
    )


class BankStatementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Upload a CSV statement (imported at once; rows imported before are not booked twice);
    list and read statements with their rows; assign an unmatched row."""

    serializer_class = BankStatementSerializer
    filterset_class = BankStatementFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.statement_list(self.request.user).prefetch_related("rows")

    @extend_schema(
        request={"multipart/form-data": BankStatementUploadSerializer},
        responses={201: BankStatementSerializer},
    )
    def create(self, request, *args, **kwargs):
        body = BankStatementUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        try:
            statement = services.statement_create(
                actor=request.user, name=upload.name, content=text
            )
            services.import_statement(actor=request.user, statement=statement)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        statement = self.get_queryset().get(pk=statement.pk)
        return Response(
            BankStatementSerializer(statement, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=BankRowAssignSerializer,
        responses={200: BankRowSerializer, 404: OpenApiResponse(description="No such row.")},
    )
    @action(detail=False, methods=["post"], url_path=r"rows/(?P<row_id>\d+)/assign")
    def assign(self, request, row_id=None):
        """Book an unmatched row: to an invoice, or to an organization as credit."""
        from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
        from django.shortcuts import get_object_or_404
        from rest_framework.exceptions import PermissionDenied

        row = get_object_or_404(BankStatementRow.objects.visible_to(request.user), pk=row_id)
        body = BankRowAssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            row = services.bank_row_assign(
                actor=request.user,
                row=row,
                invoice=body.validated_data.get("invoice"),
                organization=body.validated_data.get("organization"),
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        return Response(BankRowSerializer(row).data)


router.register("quotes", QuoteViewSet, basename="quote")
router.register("orders", OrderViewSet, basename="order")
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("payments", PaymentViewSet, basename="payment")
router.register("recurring-orders", RecurringOrderViewSet, basename="recurringorder")
router.register("bank-statements", BankStatementViewSet, basename="bankstatement")
