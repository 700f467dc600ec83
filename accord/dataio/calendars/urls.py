"""Pages under /calendar/: vCard import and export, iCalendar import, the calendar subscription."""

from django.urls import path

from . import views

app_name = "calendars"

urlpatterns = [
    path("vcards/", views.vcard_import, name="vcard_import"),
    path("vcards/people.vcf", views.vcard_export, name="vcard_export"),
    path("vcards/people/<int:pk>.vcf", views.person_vcard, name="person_vcard"),
    path("events/", views.ical_import, name="ical_import"),
    path("subscription/", views.subscription, name="subscription"),
    path("subscription/new/", views.subscription_rotate, name="subscription_rotate"),
    path("subscription/revoke/", views.subscription_revoke, name="subscription_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
