from django.urls import path

from . import views_producer

app_name = "lots_producer"

# Under /pro/<enterprise_slug>/lots/.
urlpatterns = [
    path("", views_producer.lot_list, name="list"),
    path("nouveau/", views_producer.lot_new, name="new"),
    path("<int:lot_id>/", views_producer.lot_edit, name="edit"),
    path("<int:lot_id>/quantite/", views_producer.lot_quantity, name="quantity"),
]
