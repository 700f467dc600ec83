from django.urls import path  # noqa: F401

app_name = "procurement"

urlpatterns: list = []

# --- suppliers and purchases ---
from .views import purchases as purchase_views  # noqa: E402
from .views import suppliers as supplier_views  # noqa: E402

urlpatterns += [
    path(
        "suppliers/<int:pk>/questionnaire/",
        supplier_views.QuestionnaireView.as_view(),
        name="supplierprofile_questionnaire",
    ),
    path(
        "suppliers/<int:profile>/documents/add/",
        supplier_views.DocumentEditView.as_view(),
        name="supplierdocument_add",
    ),
    path(
        "suppliers/documents/<int:pk>/edit/",
        supplier_views.DocumentEditView.as_view(),
        name="supplierdocument_edit",
    ),
    path(
        "suppliers/documents/<int:pk>/delete/",
        supplier_views.DocumentDeleteView.as_view(),
        name="supplierdocument_delete",
    ),
    path(
        "suppliers/documents/<int:pk>/download/",
        supplier_views.DocumentDownloadView.as_view(),
        name="supplierdocument_download",
    ),
    path(
        "suppliers/of-organization/<int:pk>/",
        supplier_views.OrganizationSupplierView.as_view(),
        name="organization_supplier",
    ),
    path(
        "purchases/<int:order>/lines/add/",
        purchase_views.LineEditView.as_view(),
        name="purchaseorderline_add",
    ),
    path(
        "purchases/lines/<int:pk>/edit/",
        purchase_views.LineEditView.as_view(),
        name="purchaseorderline_edit",
    ),
    path(
        "purchases/lines/<int:pk>/delete/",
        purchase_views.LineDeleteView.as_view(),
        name="purchaseorderline_delete",
    ),
    path(
        "purchases/<int:order>/deliveries/add/",
        purchase_views.DeliveryEditView.as_view(),
        name="delivery_add",
    ),
    path(
        "purchases/deliveries/<int:pk>/edit/",
        purchase_views.DeliveryEditView.as_view(),
        name="delivery_edit",
    ),
    path(
        "purchases/deliveries/<int:pk>/delete/",
        purchase_views.DeliveryDeleteView.as_view(),
        name="delivery_delete",
    ),
]
urlpatterns += supplier_views.SupplyCategoryViews.urls("suppliers/categories")
urlpatterns += supplier_views.QualificationQuestionViews.urls("suppliers/questions")
urlpatterns += supplier_views.SupplierProfileViews.urls("suppliers")
urlpatterns += purchase_views.PurchaseOrderViews.urls("purchases")

# --- scorecards and budgets ---
from .views import budgets as budget_views  # noqa: E402
from .views import scorecards as scorecard_views  # noqa: E402

urlpatterns += [
    path(
        "scorecards/<int:pk>/",
        scorecard_views.SupplierScorecardView.as_view(),
        name="supplier_scorecard",
    ),
    path(
        "scorecards/<int:pk>/recompute/",
        scorecard_views.SupplierScoreRecomputeView.as_view(),
        name="supplier_score_recompute",
    ),
    path(
        "scorecards/recompute/",
        scorecard_views.RecomputeAllView.as_view(),
        name="supplierscore_recompute_all",
    ),
    path(
        "scorecards/of-organization/<int:pk>/",
        scorecard_views.OrganizationScoreView.as_view(),
        name="organization_score",
    ),
    path("budgets/cost-trends/", budget_views.CostTrendsView.as_view(), name="cost_trends"),
]
urlpatterns += scorecard_views.config_urls()
urlpatterns += scorecard_views.SupplierScoreViews.urls()
urlpatterns += budget_views.BudgetViews.urls("budgets")
