from django.urls import path

from . import views, views_onboarding

app_name = "payments"
urlpatterns = [
    path("webhooks/stripe/", views.stripe_webhook, name="stripe_webhook"),
    path("essai/<str:reference>/", views.fake_checkout, name="fake_checkout"),
    path("essai/compte/<str:account_id>/", views_onboarding.fake_onboarding, name="fake_onboarding"),
]
