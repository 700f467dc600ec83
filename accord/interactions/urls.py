from django.urls import path

from . import views

app_name = "interactions"

urlpatterns = [
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("follow-ups/panel/", views.FollowUpPanelView.as_view(), name="followup_panel"),
    path(
        "follow-ups/<int:pk>/complete/",
        views.FollowUpCompleteView.as_view(),
        name="followup_complete",
    ),
    path("follow-ups/<int:pk>/reopen/", views.FollowUpReopenView.as_view(), name="followup_reopen"),
    path(
        "interactions/attachments/<int:pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
]
urlpatterns += views.InteractionViews.urls("interactions")
urlpatterns += views.FollowUpViews.urls("follow-ups")

# --- internal business units: requests between units ---
from .units import views as unit_views  # noqa: E402

urlpatterns += [path("units/", unit_views.UnitsOverviewView.as_view(), name="units")]
urlpatterns += unit_views.UnitRequestViews.urls("units/requests")
