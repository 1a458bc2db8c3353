from django.urls import path

from . import views

app_name = "observatory"

urlpatterns = [
    path("tableau-de-bord/", views.town_dashboard, name="dashboard"),
    path("tableau-de-bord/activite/", views.platform_activity, name="activity"),
    path("tableau-de-bord/rapports/", views.reports, name="reports"),
    path("tableau-de-bord/rapports/nouveau/", views.report_download, name="report_download"),
    path("tableau-de-bord/rapports/<str:month>.pdf", views.report_file, name="report_file"),
]
