from django.urls import path

from . import views

app_name = "users"
urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/token/", views.token_regenerate, name="token_regenerate"),
    path("me/token/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.user_list, name="user_list"),
    path("users/<int:pk>/access/", views.user_access, name="user_access"),
    path("teams/add/", views.team_add, name="team_add"),
]
