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
