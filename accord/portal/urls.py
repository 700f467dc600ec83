from django.urls import path

from . import pages, pages_service, views

app_name = "portal"

urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/sign-in/", views.sign_in, name="login"),
    path("portal/sign-out/", views.sign_out, name="logout"),
    path("portal/accept/<str:token>/", views.accept, name="accept"),
    path("portal/password/", views.password, name="password"),
    path("portal/quotes/", pages.quotes, name="quotes"),
    path("portal/quotes/<int:pk>/", pages.quote_detail, name="quote_detail"),
    path("portal/quotes/<int:pk>/pdf/", pages.quote_pdf, name="quote_pdf"),
    path("portal/quotes/<int:pk>/accept/", pages.quote_accept, name="quote_accept"),
    path("portal/orders/", pages.orders, name="orders"),
    path("portal/orders/<int:pk>/", pages.order_detail, name="order_detail"),
    path("portal/orders/<int:pk>/again/", pages.order_again, name="order_again"),
    path("portal/catalogue/", pages.catalogue, name="catalogue"),
    path("portal/invoices/", pages.invoices, name="invoices"),
    path("portal/invoices/<int:pk>/", pages.invoice_detail, name="invoice_detail"),
    path("portal/invoices/<int:pk>/pdf/", pages.invoice_pdf, name="invoice_pdf"),
    path("portal/cases/", pages_service.cases, name="cases"),
    path("portal/cases/new/", pages_service.case_new, name="case_new"),
    path("portal/cases/<int:pk>/", pages_service.case_detail, name="case_detail"),
    path("portal/services/", pages_service.services, name="services"),
    path("portal/trainings/<int:pk>/book/", pages_service.training_book, name="training_book"),
    path(
        "portal/maintenance/request/",
        pages_service.maintenance_request,
        name="maintenance_request",
    ),
    path("people/<int:pk>/portal-invitation/", views.InviteView.as_view(), name="invite"),
    path("cases/<int:pk>/portal-follower/", views.CaseFollowerView.as_view(), name="case_follower"),
]
urlpatterns += views.PortalAccountViews.urls("portal-accounts")
urlpatterns += views.CatalogueItemViews.urls("portal-catalogue")
