from django.urls import path

from . import views, views_history

app_name = "towns"

urlpatterns = [
    path("", views.space_home, name="home"),
    path("gestion/", views.town_settings, name="settings"),
    path("gestion/historique/", views_history.town_history, name="history"),
    path("gestion/roles/", views.town_roles, name="roles"),
    path("gestion/mise-en-avant/", views.town_featured, name="featured"),
    path("gestion/mise-en-avant/<str:kind>/ajouter/", views.town_featured_add, name="featured_add"),
    path(
        "gestion/mise-en-avant/<str:kind>/<int:item_id>/<str:action>/",
        views.town_featured_change,
        name="featured_change",
    ),
    path("gestion/roles/<int:role_id>/retirer/", views.town_role_revoke, name="role_revoke"),
    path("tableau-de-bord/", views.town_dashboard, name="dashboard"),
]
