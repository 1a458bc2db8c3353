from django.urls import path

from . import views_manage

app_name = "parking_manage"

# Under /<town>/gestion/stationnement/.
urlpatterns = [
    path("", views_manage.index, name="index"),
    path("import/", views_manage.import_file, name="import"),
    path("flux/ajouter/", views_manage.feed_edit, name="feed_add"),
    path("flux/<int:feed_id>/", views_manage.feed_edit, name="feed_edit"),
    path("parkings/<int:car_park_id>/", views_manage.car_park_edit, name="car_park_edit"),
]
