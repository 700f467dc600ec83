"""URLs of the parties pages: organizations, people, relationships and the person page's small forms."""

from django.urls import path

from . import merge_views, views

app_name = "parties"

urlpatterns = [
    path("parties/autocomplete/", views.PartyAutocompleteView.as_view(), name="autocomplete"),
    path("people/<int:pk>/merge/", merge_views.PersonMergeView.as_view(), name="person_merge"),
    path(
        "organizations/<int:pk>/merge/",
        merge_views.OrganizationMergeView.as_view(),
        name="organization_merge",
    ),
    path(
        "people/duplicates/",
        merge_views.PersonDuplicateListView.as_view(),
        name="person_duplicates",
    ),
    path(
        "organizations/duplicates/",
        merge_views.OrganizationDuplicateListView.as_view(),
        name="organization_duplicates",
    ),
    path(
        "organizations/<int:pk>/archive/",
        views.OrganizationArchiveView.as_view(),
        name="organization_archive",
    ),
    path(
        "organizations/<int:pk>/unarchive/",
        views.OrganizationUnarchiveView.as_view(),
        name="organization_unarchive",
    ),
    path("people/<int:pk>/archive/", views.PersonArchiveView.as_view(), name="person_archive"),
    path(
        "people/<int:pk>/unarchive/", views.PersonUnarchiveView.as_view(), name="person_unarchive"
    ),
    path("people/<int:pk>/emails/add/", views.PersonEmailAddView.as_view(), name="email_add"),
    path(
        "people/emails/<int:pk>/remove/", views.PersonEmailRemoveView.as_view(), name="email_remove"
    ),
    path(
        "people/emails/<int:pk>/primary/",
        views.PersonEmailPrimaryView.as_view(),
        name="email_primary",
    ),
    path("people/<int:pk>/phones/add/", views.PersonPhoneAddView.as_view(), name="phone_add"),
    path(
        "people/phones/<int:pk>/remove/", views.PersonPhoneRemoveView.as_view(), name="phone_remove"
    ),
    path("people/<int:pk>/positions/add/", views.PositionEditView.as_view(), name="position_add"),
    path(
        "people/positions/<int:position_pk>/edit/",
        views.PositionEditView.as_view(),
        name="position_edit",
    ),
    path(
        "people/positions/<int:pk>/delete/",
        views.PositionDeleteView.as_view(),
        name="position_delete",
    ),
]
urlpatterns += views.OrganizationViews.urls("organizations")
urlpatterns += views.PersonViews.urls("people")
urlpatterns += views.RelationshipViews.urls("relationships")
