"""The personal API tokens page, in the account space: /compte/espace/jetons/."""

from django.urls import path

from . import views_account as views

app_name = "api_tokens"
urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:token_id>/revoquer/", views.token_revoke, name="revoke"),
]
