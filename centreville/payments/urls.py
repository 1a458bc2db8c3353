from django.urls import path

from . import views_fake_provider, views_webhooks

app_name = "payments"
urlpatterns = [
    path("webhooks/stripe/", views_webhooks.stripe_webhook, name="stripe_webhook"),
    path("essai/<str:reference>/", views_fake_provider.fake_checkout, name="fake_checkout"),
    path("essai/compte/<str:account_id>/", views_fake_provider.fake_onboarding, name="fake_onboarding"),
]
