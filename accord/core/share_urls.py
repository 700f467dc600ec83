from django.urls import path

from . import share_views

urlpatterns = [
    path("share/remove/<int:share_id>/", share_views.share_remove, name="share_remove"),
    path("share/<str:model_label>/<int:pk>/", share_views.share_panel, name="share"),
]
