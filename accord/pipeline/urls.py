from django.urls import path

from . import views
from .views import board as board_views
from .views import buying as buying_views
from .views import competitors as competitor_views
from .views import config as config_views
from .views import forecast as forecast_views
from .views import signals as signal_views
from .views import stagetimes as stagetime_views
from .views import targets as target_views

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

# --- market signals ---

urlpatterns += [
    path(
        "signals/trends/", signal_views.MarketSignalTrendsView.as_view(), name="marketsignal_trends"
    ),
    path(
        "signals/<int:pk>/to-opportunity/",
        signal_views.MarketSignalToOpportunityView.as_view(),
        name="marketsignal_to_opportunity",
    ),
    path(
        "signals/interactions/search/",
        signal_views.InteractionAutocompleteView.as_view(),
        name="marketsignal_interaction_autocomplete",
    ),
    path(
        "signals/of-organization/<int:pk>/",
        signal_views.OrganizationSignalsView.as_view(),
        name="organization_signals",
    ),
    path(
        "signals/of-opportunity/<int:pk>/",
        signal_views.OpportunitySignalsView.as_view(),
        name="opportunity_signals",
    ),
]
urlpatterns += signal_views.MarketSignalViews.urls("signals")

# --- buying center / competitors ---

urlpatterns += [
    path(
        "opportunities/<int:pk>/buying-center/",
        buying_views.BuyingCenterView.as_view(),
        name="buying_center",
    ),
    path(
        "opportunities/<int:pk>/buying-center/take-from-positions/",
        buying_views.BuyingCenterTakeView.as_view(),
        name="buying_center_take",
    ),
    path(
        "opportunities/<int:pk>/buying-center/add/",
        buying_views.BuyingCenterAddView.as_view(),
        name="buying_center_add",
    ),
    path(
        "opportunities/buying-center/<int:pk>/role/",
        buying_views.BuyingCenterRoleView.as_view(),
        name="buying_center_role",
    ),
    path(
        "opportunities/buying-center/<int:pk>/remove/",
        buying_views.BuyingCenterRemoveView.as_view(),
        name="buying_center_remove",
    ),
    path(
        "opportunities/<int:pk>/competitors/",
        competitor_views.OpportunityCompetitorsView.as_view(),
        name="opportunity_competitors",
    ),
    path(
        "opportunities/<int:pk>/competitors/add/",
        competitor_views.OpportunityCompetitorAddView.as_view(),
        name="opportunity_competitor_add",
    ),
    path(
        "opportunities/competitors/<int:pk>/status/",
        competitor_views.OpportunityCompetitorStatusView.as_view(),
        name="opportunity_competitor_status",
    ),
    path(
        "opportunities/competitors/<int:pk>/remove/",
        competitor_views.OpportunityCompetitorRemoveView.as_view(),
        name="opportunity_competitor_remove",
    ),
    path(
        "competitors/at-account/<int:pk>/",
        competitor_views.AccountCompetitorsView.as_view(),
        name="account_competitors",
    ),
    path(
        "competitors/at-account/<int:pk>/add/",
        competitor_views.AccountCompetitorAddView.as_view(),
        name="account_competitor_add",
    ),
    path(
        "competitors/presence/<int:pk>/status/",
        competitor_views.AccountCompetitorStatusView.as_view(),
        name="account_competitor_status",
    ),
    path(
        "competitors/presence/<int:pk>/remove/",
        competitor_views.AccountCompetitorRemoveView.as_view(),
        name="account_competitor_remove",
    ),
    path(
        "competitors/win-loss/",
        competitor_views.WinLossView.as_view(),
        name="competitor_win_loss",
    ),
    path("competitors/", competitor_views.CompetitorListView.as_view(), name="competitor_list"),
    path(
        "competitors/<int:pk>/",
        competitor_views.CompetitorDetailView.as_view(),
        name="competitor_detail",
    ),
    path(
        "competitors/<int:pk>/edit/",
        competitor_views.CompetitorEditView.as_view(),
        name="competitor_edit",
    ),
    path(
        "competitors/<int:pk>/history/",
        competitor_views.CompetitorHistoryView.as_view(),
        name="competitor_history",
    ),
]

# --- board, pipeline configuration, time in stage ---

urlpatterns += [
    path(
        "opportunities/board/", board_views.OpportunityBoardView.as_view(), name="opportunity_board"
    ),
    path(
        "opportunities/<int:pk>/move/",
        board_views.OpportunityMoveView.as_view(),
        name="opportunity_move",
    ),
    path(
        "opportunities/stage-times/",
        stagetime_views.StageTimesView.as_view(),
        name="stage_times",
    ),
    path("pipelines/", config_views.PipelineListView.as_view(), name="pipeline_list"),
    path("pipelines/add/", config_views.PipelineEditView.as_view(), name="pipeline_add"),
    path("pipelines/<int:pk>/", config_views.PipelineDetailView.as_view(), name="pipeline_detail"),
    path("pipelines/<int:pk>/edit/", config_views.PipelineEditView.as_view(), name="pipeline_edit"),
    path(
        "pipelines/<int:pk>/delete/",
        config_views.PipelineDeleteView.as_view(),
        name="pipeline_delete",
    ),
    path(
        "pipelines/<int:pipeline>/stages/add/",
        config_views.StageEditView.as_view(),
        name="stage_add",
    ),
    path(
        "pipelines/stages/<int:pk>/edit/", config_views.StageEditView.as_view(), name="stage_edit"
    ),
    path(
        "pipelines/stages/<int:pk>/delete/",
        config_views.StageDeleteView.as_view(),
        name="stage_delete",
    ),
    path(
        "pipelines/stages/<int:pk>/move/", config_views.StageMoveView.as_view(), name="stage_move"
    ),
    path("lost-reasons/", config_views.LostReasonListView.as_view(), name="lostreason_list"),
    path("lost-reasons/add/", config_views.LostReasonEditView.as_view(), name="lostreason_add"),
    path(
        "lost-reasons/<int:pk>/edit/",
        config_views.LostReasonEditView.as_view(),
        name="lostreason_edit",
    ),
    path(
        "lost-reasons/<int:pk>/delete/",
        config_views.LostReasonDeleteView.as_view(),
        name="lostreason_delete",
    ),
]

# --- targets / forecast ---

urlpatterns += [path("forecast/", forecast_views.ForecastView.as_view(), name="forecast")]
urlpatterns += target_views.RevenueTargetViews.urls("targets")
