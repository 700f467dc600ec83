from . import views

app_name = "commerce"

urlpatterns = views.ProductViews.urls("products")
