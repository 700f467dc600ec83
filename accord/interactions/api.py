"""Serializers and viewsets (filled in by the app)."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
