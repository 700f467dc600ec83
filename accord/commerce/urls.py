from django.urls import path

from . import views
from .views import banking as bank_views
from .views import sales as sale_views

app_name = "commerce"

urlpatterns = views.ProductViews.urls("products")

# --- quotes, orders, invoices, payments, recurring orders, bank import ---

urlpatterns += [
    path(
        "quotes/<int:pk>/lines/add/", sale_views.QuoteLineAddView.as_view(), name="quote_line_add"
    ),
    path(
        "quotes/lines/<int:pk>/remove/",
        sale_views.QuoteLineRemoveView.as_view(),
        name="quote_line_remove",
    ),
    path("quotes/<int:pk>/accept/", sale_views.QuoteAcceptView.as_view(), name="quote_accept"),
    path("quotes/<int:pk>/print/", sale_views.QuotePrintView.as_view(), name="quote_print"),
    path("quotes/<int:pk>/pdf/", sale_views.QuotePdfView.as_view(), name="quote_pdf"),
    path(
        "orders/<int:pk>/lines/add/", sale_views.OrderLineAddView.as_view(), name="order_line_add"
    ),
    path(
        "orders/lines/<int:pk>/remove/",
        sale_views.OrderLineRemoveView.as_view(),
        name="order_line_remove",
    ),
    path("orders/<int:pk>/status/", sale_views.OrderStatusView.as_view(), name="order_status"),
    path("invoices/<int:pk>/print/", sale_views.InvoicePrintView.as_view(), name="invoice_print"),
    path("invoices/<int:pk>/pdf/", sale_views.InvoicePdfView.as_view(), name="invoice_pdf"),
    path(
        "invoices/<int:pk>/cancel/", sale_views.InvoiceCancelView.as_view(), name="invoice_cancel"
    ),
    path(
        "invoices/<int:pk>/apply-credit/",
        sale_views.InvoiceApplyCreditView.as_view(),
        name="invoice_apply_credit",
    ),
    path(
        "recurring-orders/<int:pk>/lines/add/",
        sale_views.RecurringOrderLineAddView.as_view(),
        name="recurringorder_line_add",
    ),
    path(
        "recurring-orders/lines/<int:pk>/remove/",
        sale_views.RecurringOrderLineRemoveView.as_view(),
        name="recurringorder_line_remove",
    ),
    path(
        "billing/of-organization/<int:pk>/",
        sale_views.OrganizationBillingView.as_view(),
        name="organization_billing",
    ),
    path(
        "bank-statements/upload/",
        bank_views.BankStatementUploadView.as_view(),
        name="bankstatement_upload",
    ),
    path(
        "bank-statements/rows/<int:pk>/assign/",
        bank_views.BankRowAssignView.as_view(),
        name="bankstatement_row_assign",
    ),
]
urlpatterns += sale_views.QuoteViews.urls("quotes")
urlpatterns += sale_views.OrderViews.urls("orders")
urlpatterns += sale_views.InvoiceViews.urls("invoices")
urlpatterns += sale_views.PaymentViews.urls("payments")
urlpatterns += sale_views.RecurringOrderViews.urls("recurring-orders")
urlpatterns += bank_views.BankStatementViews.urls("bank-statements")
