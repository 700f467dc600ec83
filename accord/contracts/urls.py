from django.urls import path  # noqa: F401

app_name = "contracts"

urlpatterns: list = []

# --- negotiations ---
from .views import negotiations as negotiation_views  # noqa: E402

urlpatterns += [
    path(
        "negotiations/analysis/",
        negotiation_views.NegotiationAnalysisView.as_view(),
        name="negotiation_analysis",
    ),
    path(
        "negotiations/<int:pk>/rounds/add/",
        negotiation_views.NegotiationRoundAddView.as_view(),
        name="negotiationround_add",
    ),
    path(
        "negotiations/rounds/<int:pk>/edit/",
        negotiation_views.NegotiationRoundEditView.as_view(),
        name="negotiationround_edit",
    ),
    path(
        "negotiations/rounds/<int:pk>/delete/",
        negotiation_views.NegotiationRoundDeleteView.as_view(),
        name="negotiationround_delete",
    ),
    path(
        "negotiations/of-organization/<int:pk>/",
        negotiation_views.OrganizationNegotiationsView.as_view(),
        name="organization_negotiations",
    ),
    path(
        "negotiations/of-opportunity/<int:pk>/",
        negotiation_views.OpportunityNegotiationsView.as_view(),
        name="opportunity_negotiations",
    ),
    path(
        "negotiations/of-contract/<int:pk>/",
        negotiation_views.ContractNegotiationsView.as_view(),
        name="contract_negotiations",
    ),
]
urlpatterns += negotiation_views.NegotiationViews.urls("negotiations")

# --- contracts ---
from .views import contracts as contract_views  # noqa: E402

urlpatterns += [
    path(
        "contracts/calendar/",
        contract_views.ContractCalendarView.as_view(),
        name="contract_calendar",
    ),
    path(
        "contracts/portfolio/",
        contract_views.ContractPortfolioView.as_view(),
        name="contract_portfolio",
    ),
    path(
        "contracts/<int:pk>/documents/add/",
        contract_views.ContractDocumentUploadView.as_view(),
        name="contractdocument_add",
    ),
    path(
        "contracts/documents/<int:pk>/",
        contract_views.ContractDocumentDownloadView.as_view(),
        name="contractdocument_download",
    ),
    path(
        "contracts/documents/<int:pk>/delete/",
        contract_views.ContractDocumentDeleteView.as_view(),
        name="contractdocument_delete",
    ),
    path(
        "contracts/of-organization/<int:pk>/",
        contract_views.OrganizationContractsView.as_view(),
        name="organization_contracts",
    ),
    path(
        "contracts/search/",
        contract_views.ContractAutocompleteView.as_view(),
        name="contract_autocomplete",
    ),
    path(
        "contracts/opportunities/search/",
        contract_views.OpportunityAutocompleteView.as_view(),
        name="opportunity_autocomplete",
    ),
    path(
        "contracts/purchase-orders/search/",
        contract_views.PurchaseOrderAutocompleteView.as_view(),
        name="purchaseorder_autocomplete",
    ),
]
urlpatterns += contract_views.ContractViews.urls("contracts")

# --- commitments ---
from .views import commitments as commitment_views  # noqa: E402

urlpatterns += [
    path(
        "commitments/<int:pk>/status/",
        commitment_views.CommitmentStatusView.as_view(),
        name="commitment_status",
    ),
]
urlpatterns += commitment_views.CommitmentViews.urls("commitments")
