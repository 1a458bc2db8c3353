from django.urls import path

from . import views

app_name = "shops"

urlpatterns = [
    path("<slug:shop_slug>/", views.shop_detail, name="detail"),
]
