app_name = "parties"
urlpatterns: list = []
