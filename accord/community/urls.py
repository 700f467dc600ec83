from django.urls import path

from .views import community as views

app_name = "community"

urlpatterns: list = [
    path("community/", views.OverviewView.as_view(), name="overview"),
    path(
        "community/plans/<int:pk>/contacts/add/",
        views.PlannedEngagementAddView.as_view(),
        name="plannedengagement_add",
    ),
    path(
        "community/plans/contacts/<int:pk>/",
        views.PlannedEngagementChangeView.as_view(),
        name="plannedengagement_change",
    ),
    path(
        "community/concerns/<int:pk>/status/",
        views.ConcernTransitionView.as_view(),
        name="concern_transition",
    ),
    path(
        "community/of-organization/<int:pk>/",
        views.PartyCommunityView.as_view(model=views.Organization),
        name="organization_community",
    ),
    path(
        "community/of-person/<int:pk>/",
        views.PartyCommunityView.as_view(model=views.Person),
        name="person_community",
    ),
]
urlpatterns += views.StakeholderProjectViews.urls("community/projects")
urlpatterns += views.StakeholderAssessmentViews.urls("community/assessments")
urlpatterns += views.EngagementPlanViews.urls("community/plans")
urlpatterns += views.ConcernViews.urls("community/concerns")
urlpatterns += views.ConsultationViews.urls("community/consultations")
