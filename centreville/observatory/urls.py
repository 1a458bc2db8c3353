from django.urls import path

from . import views

app_name = "observatory"

urlpatterns = [
    path("tableau-de-bord/", views.town_dashboard, name="dashboard"),
]
