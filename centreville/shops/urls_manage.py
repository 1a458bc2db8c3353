from django.urls import path

from . import views_manage

app_name = "shops_manage"

urlpatterns = [
    path("", views_manage.shop_queue, name="queue"),
    path("<int:shop_id>/apercu/", views_manage.shop_preview, name="preview"),
    path("<int:shop_id>/decision/", views_manage.shop_decide, name="decide"),
]
