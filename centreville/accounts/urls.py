from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account_home, name="home"),
    path("mes-donnees/", views.account_export, name="export"),
    path("supprimer/", views.account_delete, name="delete"),
]
