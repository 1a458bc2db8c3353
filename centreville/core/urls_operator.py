"""The operators' addresses (`/sante/…`): health for load balancers, metrics for Prometheus."""

from django.urls import path

from . import views_operator

app_name = "operator"

urlpatterns = [
    path("", views_operator.liveness, name="liveness"),
    path("pret/", views_operator.readiness, name="readiness"),
    path("metriques/", views_operator.metrics_page, name="metrics"),
]
