from django.urls import path

from . import views_merchant as views

app_name = "news_merchant"

# Under /<town>/espace-commercant/abonnes/.
urlpatterns = [
    path("", views.shops, name="shops"),
    path("<slug:shop_slug>/", views.shop, name="shop"),
    path("<slug:shop_slug>/envois/<int:campaign_id>/", views.campaign, name="campaign"),
]
