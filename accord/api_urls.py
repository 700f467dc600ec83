"""The REST API: each app's router under its name, the OpenAPI schema and locally served docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from accord.core.search.api import SearchAPIView
from accord.interactions.api import router as interactions_router
from accord.parties.api import router as parties_router

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("token/", obtain_auth_token, name="api-token"),
    path("search/", SearchAPIView.as_view(), name="api-search"),
    path("parties/", include(parties_router.urls)),
    path("interactions/", include(interactions_router.urls)),
]
