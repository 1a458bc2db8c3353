from django.urls import path

from . import views_manage

app_name = "enterprises_manage"

# Under /<town>/gestion/producteurs/.
urlpatterns = [
    path("", views_manage.producers, name="producers"),
    path("montrer/", views_manage.show, name="show"),
    path("retirer/", views_manage.hide, name="hide"),
]
