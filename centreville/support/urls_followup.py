"""The town team's follow-up of its merchants, under /<town>/gestion/accompagnement/."""

from django.urls import path

from . import views_followup_manage

manage_urlpatterns = [
    path("", views_followup_manage.followup_list, name="followup"),
    path("commerces/<slug:shop_slug>/", views_followup_manage.followup_shop, name="followup_shop"),
]
