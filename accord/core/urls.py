from django.urls import path

from . import job_views, notification_views

app_name = "core"

urlpatterns = [
    path("data/", job_views.data_hub, name="data_hub"),
    path("jobs/", job_views.job_list, name="job_list"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress/", job_views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/retry/", job_views.job_retry, name="job_retry"),
    path("jobs/<int:pk>/download/", job_views.job_download, name="job_download"),
    path("notifications/", notification_views.notification_list, name="notification_list"),
    path("notifications/read/", notification_views.notification_read, name="notification_read"),
    path("notifications/count/", notification_views.notification_count, name="notification_count"),
]
