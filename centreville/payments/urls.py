from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("webhooks/stripe/", views.stripe_webhook, name="stripe_webhook"),
    path("essai/<str:reference>/", views.fake_checkout, name="fake_checkout"),
]
