from django.urls import path

from . import views

app_name = "mail"

urlpatterns = [
    path("", views.MailHomeView.as_view(), name="home"),
    path("upload/", views.MailUploadView.as_view(), name="upload"),
    path("jobs/<int:pk>/", views.MailImportDetailView.as_view(), name="import_detail"),
    path("accounts/add/", views.AccountEditView.as_view(), name="account_add"),
    path("accounts/<int:pk>/", views.AccountEditView.as_view(), name="account_edit"),
    path("accounts/<int:pk>/delete/", views.AccountDeleteView.as_view(), name="account_delete"),
    path("accounts/<int:pk>/test/", views.AccountTestView.as_view(), name="account_test"),
    path("accounts/<int:pk>/folders/", views.AccountFoldersView.as_view(), name="account_folders"),
    path("accounts/<int:pk>/sync/", views.AccountSyncView.as_view(), name="account_sync"),
    path("senders/", views.SenderListView.as_view(), name="senders"),
    path("senders/<int:pk>/add/", views.SenderCreatePersonView.as_view(), name="sender_create"),
    path("senders/<int:pk>/ignore/", views.SenderIgnoreView.as_view(), name="sender_ignore"),
    path("senders/<int:pk>/restore/", views.SenderRestoreView.as_view(), name="sender_restore"),
]
