from django.urls import path

from . import views_public

app_name = "vouchers_public"

# Under /<town>/bons/
urlpatterns = [
    path("", views_public.programmes, name="programmes"),
    path("carte/<str:code>/", views_public.wallet, name="wallet"),
    path("<slug:programme_slug>/", views_public.programme, name="programme"),
]
