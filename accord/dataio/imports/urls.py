"""URLs of the import pages (under /imports/)."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("new/", views.import_upload, name="import_upload"),
    path("mappings/", views.mapping_list, name="mapping_list"),
    path("mappings/<int:pk>/delete/", views.mapping_delete, name="mapping_delete"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/mapping/", views.import_mapping, name="import_mapping"),
    path("<int:pk>/decisions/", views.import_decisions, name="import_decisions"),
    path("<int:pk>/start/", views.import_start, name="import_start"),
    path("<int:pk>/check/", views.import_recheck, name="import_recheck"),
    path("<int:pk>/delete/", views.import_delete, name="import_delete"),
]
