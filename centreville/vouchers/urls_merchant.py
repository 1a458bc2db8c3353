from django.urls import path

from . import views_merchant as views

app_name = "vouchers_merchant"

# Under /<town>/espace-commercant/bons/
urlpatterns = [
    path("", views.shops, name="shops"),
    path("<slug:shop_slug>/", views.shop, name="shop"),
    path("<slug:shop_slug>/encaisser/", views.counter, name="counter"),
    path("<slug:shop_slug>/encaisser/<int:movement_id>/", views.spent, name="spent"),
    path("<slug:shop_slug>/encaisser/<int:movement_id>/annuler/", views.give_back, name="give_back"),
    path("<slug:shop_slug>/releves/<int:statement_id>.csv", views.statement_csv, name="statement_csv"),
    path("<slug:shop_slug>/releves/<int:statement_id>.pdf", views.statement_pdf, name="statement_pdf"),
    path("<slug:shop_slug>/operations/<int:programme_id>/rejoindre/", views.join, name="join"),
    path("<slug:shop_slug>/operations/<int:programme_id>/quitter/", views.leave, name="leave"),
]
