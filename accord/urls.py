from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("accord.api_urls")),
    path("", include("accord.interactions.home_urls")),
    path("", include("accord.core.urls")),
    path("", include("accord.core.search_urls")),
    path("", include("accord.core.share_urls")),
    path("", include("accord.parties.urls")),
    path("", include("accord.interactions.urls")),
    path("", include("accord.commerce.urls")),
    path("", include("accord.pipeline.urls")),
    path("", include("accord.procurement.urls")),
    path("", include("accord.contracts.urls")),
    path("", include("accord.community.urls")),
    path("", include("accord.servicedesk.urls")),
    path("", include("accord.portal.urls")),
    path("", include("accord.users.urls")),
    path("imports/", include("accord.dataio.imports.urls")),
    path("mail/", include("accord.dataio.mail.urls")),
    path("exports/", include("accord.dataio.exports.urls")),
    path("webhooks/", include("accord.dataio.webhooks.urls")),
    path("calendar/", include("accord.dataio.calendars.urls")),
]
