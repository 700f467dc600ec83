from django.urls import path

from . import views

app_name = "pipeline"

urlpatterns = [
    path(
        "opportunities/<int:pk>/lines/add/",
        views.OpportunityLineAddView.as_view(),
        name="opportunity_line_add",
    ),
    path(
        "opportunities/lines/<int:pk>/remove/",
        views.OpportunityLineRemoveView.as_view(),
        name="opportunity_line_remove",
    ),
    path(
        "opportunities/of-organization/<int:pk>/",
        views.OrganizationOpportunitiesView.as_view(),
        name="organization_opportunities",
    ),
]
urlpatterns += views.OpportunityViews.urls("opportunities")
