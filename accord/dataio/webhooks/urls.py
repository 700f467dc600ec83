from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="webhooks:webhookendpoint_list"), name="index"),
    *views.WebhookEndpointViews.urls("endpoints"),
    path("endpoints/<int:pk>/test/", views.EndpointTestView.as_view(), name="endpoint_test"),
    path("endpoints/<int:pk>/enable/", views.EndpointEnableView.as_view(), name="endpoint_enable"),
    path(
        "endpoints/<int:pk>/secret/",
        views.EndpointRotateSecretView.as_view(),
        name="endpoint_rotate_secret",
    ),
    path("endpoints/<int:pk>/deliveries/", views.DeliveryLogView.as_view(), name="delivery_log"),
    path("deliveries/<int:pk>/", views.DeliveryDetailView.as_view(), name="delivery_detail"),
    path(
        "deliveries/<int:pk>/redeliver/",
        views.DeliveryRedeliverView.as_view(),
        name="delivery_redeliver",
    ),
    path("allowed-hosts/", views.AllowedHostsView.as_view(), name="allowed_hosts"),
]
