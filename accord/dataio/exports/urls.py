from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.MyDataView.as_view(), name="my_data"),
    path("list/<str:list_name>/<str:fmt>/", views.ListExportView.as_view(), name="list"),
]
