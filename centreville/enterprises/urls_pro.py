from django.urls import path

from . import views_pro

app_name = "enterprises_pro"

# Under /pro/: the pages first, then each enterprise's (their slugs never take these names: services).
urlpatterns = [
    path("", views_pro.my_enterprises, name="index"),
    path("inscription/", views_pro.register, name="register"),
    path("boutique/<int:shop_id>/", views_pro.register_shop, name="register_shop"),
    path("<slug:enterprise_slug>/", views_pro.home, name="home"),
    path("<slug:enterprise_slug>/profil/", views_pro.profile, name="profile"),
    path("<slug:enterprise_slug>/photos/", views_pro.photo_add, name="photo_add"),
    path(
        "<slug:enterprise_slug>/photos/<int:photo_id>/retirer/", views_pro.photo_remove, name="photo_remove"
    ),
    path("<slug:enterprise_slug>/lieux/", views_pro.places, name="places"),
    path("<slug:enterprise_slug>/lieux/<int:place_id>/", views_pro.place_edit, name="place_edit"),
    path("<slug:enterprise_slug>/lieux/<int:place_id>/fermer/", views_pro.place_close, name="place_close"),
    path("<slug:enterprise_slug>/lieux/<int:place_id>/rouvrir/", views_pro.place_reopen, name="place_reopen"),
    path("<slug:enterprise_slug>/membres/", views_pro.members, name="members"),
    path(
        "<slug:enterprise_slug>/membres/<int:member_id>/retirer/",
        views_pro.member_remove,
        name="member_remove",
    ),
]
