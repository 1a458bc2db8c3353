from django.urls import path

from . import views, views_history

app_name = "towns"

urlpatterns = [
    path("gestion/", views.town_settings, name="settings"),
    path("gestion/historique/", views_history.town_history, name="history"),
    path("gestion/roles/", views.town_roles, name="roles"),
    path("gestion/roles/<int:role_id>/retirer/", views.town_role_revoke, name="role_revoke"),
]
