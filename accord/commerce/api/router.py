"""The commerce app's API router; each area module registers its viewsets on it."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
