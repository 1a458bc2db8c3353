from django.urls import path

from . import views_manage

app_name = "footfall_manage"

# Under /<town>/gestion/frequentation/.
urlpatterns = [
    path("", views_manage.site_list, name="sites"),
    path("sites/<int:site_id>/", views_manage.site_detail, name="site"),
    path("sites/<int:site_id>/modifier/", views_manage.site_edit, name="site_edit"),
    path("imports/", views_manage.import_index, name="imports"),
    path("imports/<int:run_id>/", views_manage.import_run, name="import_run"),
    path("imports/<int:run_id>/rejets.csv", views_manage.import_rejections, name="import_rejections"),
]
