"""The REST API: each app's router under its name, the OpenAPI schema and locally served docs."""

from functools import cache

from django.urls import include, path
from django.utils.module_loading import import_string
from rest_framework.authtoken.views import obtain_auth_token

from accord.commerce.api import router as commerce_router
from accord.community.api import router as community_router
from accord.contracts.api import router as contracts_router
from accord.core.job_api import router as jobs_router
from accord.core.notification_api import router as notifications_router
from accord.core.search.api import SearchAPIView
from accord.dataio.calendars.api import router as calendars_router
from accord.dataio.exports.api import router as exports_router
from accord.dataio.imports.api import router as imports_router
from accord.dataio.mail.api import router as mail_router
from accord.dataio.webhooks.api import router as webhooks_router
from accord.interactions.api import router as interactions_router
from accord.parties.api import router as parties_router
from accord.pipeline.api import router as pipeline_router
from accord.portal.api import router as portal_router
from accord.procurement.api import router as procurement_router
from accord.servicedesk.api import router as servicedesk_router


def _on_first_use(view_path: str, **initkwargs):
    """The schema and docs views import drf-spectacular (a fifth of a second) only when first
    asked for, not when any page of a new process resolves its URL."""

    @cache
    def real_view():
        return import_string(view_path).as_view(**initkwargs)

    def view(request, *args, **kwargs):
        return real_view()(request, *args, **kwargs)

    view.csrf_exempt = True  # type: ignore[attr-defined] - the real views are GET-only API views
    return view


urlpatterns = [
    path(
        "schema/",
        _on_first_use("drf_spectacular.views.SpectacularAPIView"),
        name="api-schema",
    ),
    path(
        "docs/",
        _on_first_use("drf_spectacular.views.SpectacularSwaggerView", url_name="api-schema"),
        name="api-docs",
    ),
    path(
        "redoc/",
        _on_first_use("drf_spectacular.views.SpectacularRedocView", url_name="api-schema"),
        name="api-redoc",
    ),
    path("token/", obtain_auth_token, name="api-token"),
    path("search/", SearchAPIView.as_view(), name="api-search"),
    path("parties/", include(parties_router.urls)),
    path("interactions/", include(interactions_router.urls)),
    path("pipeline/", include(pipeline_router.urls)),
    path("commerce/", include(commerce_router.urls)),
    path("procurement/", include(procurement_router.urls)),
    path("contracts/", include(contracts_router.urls)),
    path("community/", include(community_router.urls)),
    path("servicedesk/", include(servicedesk_router.urls)),
    path("portal/", include(portal_router.urls)),
    path("jobs/", include(jobs_router.urls)),
    path("", include(notifications_router.urls)),
    path("imports/", include(imports_router.urls)),
    path("mail/", include(mail_router.urls)),
    path("exports/", include(exports_router.urls)),
    path("webhooks/", include(webhooks_router.urls)),
    path("calendar/", include(calendars_router.urls)),
]
