from django.urls import path

from . import views

app_name = "showcase"

urlpatterns = [
    path("", views.space_home, name="home"),
    path("gestion/mise-en-avant/", views.town_featured, name="featured"),
    path("gestion/mise-en-avant/<str:kind>/ajouter/", views.town_featured_add, name="featured_add"),
    path(
        "gestion/mise-en-avant/<str:kind>/<int:item_id>/<str:action>/",
        views.town_featured_change,
        name="featured_change",
    ),
]
