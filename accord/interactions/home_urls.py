"""The home page, named `today` outside any namespace (included first in accord/urls.py)."""

from django.urls import path

from .views import TodayView

urlpatterns = [path("", TodayView.as_view(), name="today")]
