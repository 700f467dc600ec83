from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/sign-in/", views.sign_in, name="login"),
    path("portal/sign-out/", views.sign_out, name="logout"),
    path("portal/accept/<str:token>/", views.accept, name="accept"),
    path("portal/password/", views.password, name="password"),
    path("people/<int:pk>/portal-invitation/", views.InviteView.as_view(), name="invite"),
]
urlpatterns += views.PortalAccountViews.urls("portal-accounts")
