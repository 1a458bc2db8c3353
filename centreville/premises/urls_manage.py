from django.urls import path

from . import views_manage

app_name = "premises"

# Under /<town>/gestion/locaux/.
urlpatterns = [
    path("", views_manage.unit_list, name="units"),
    path("nouveau/", views_manage.unit_create, name="unit_create"),
    path("vacance/", views_manage.vacancy_page, name="vacancy"),
    path("carte/", views_manage.unit_map, name="map"),
    path("carte/locaux.geojson", views_manage.unit_map_data, name="map_data"),
    path("perimetre/", views_manage.perimeter_refresh, name="perimeter_refresh"),
    path("<int:unit_id>/", views_manage.unit_detail, name="unit"),
    path("<int:unit_id>/modifier/", views_manage.unit_edit, name="unit_edit"),
    path("<int:unit_id>/etat/", views_manage.unit_state, name="unit_state"),
    path("<int:unit_id>/proposer/", views_manage.unit_propose, name="unit_propose"),
    path("<int:unit_id>/periodes/<int:period_id>/", views_manage.period_edit, name="period_edit"),
    path(
        "<int:unit_id>/periodes/<int:period_id>/supprimer/", views_manage.period_delete, name="period_delete"
    ),
]

# Under /<town>/gestion/porteurs-de-projet/, namespace "premises_projects" (mounted in config/urls.py).
project_urlpatterns = [
    path("", views_manage.project_list, name="list"),
    path("nouveau/", views_manage.project_create, name="create"),
    path("<int:project_id>/", views_manage.project_detail, name="detail"),
    path("<int:project_id>/modifier/", views_manage.project_edit, name="edit"),
    path("<int:project_id>/statut/", views_manage.project_status, name="status"),
    path("<int:project_id>/proposer/", views_manage.project_propose, name="propose"),
    path("propositions/<int:proposal_id>/", views_manage.proposal_outcome, name="outcome"),
]
