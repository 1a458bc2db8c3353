from django.urls import path

from . import views_purchase

app_name = "vouchers_purchase"

# Under /<town>/bons/acheter/
urlpatterns = [
    path("", views_purchase.programmes, name="programmes"),
    path("achat/<str:token>/", views_purchase.sale, name="sale"),
    path("achat/<str:token>/facture.pdf", views_purchase.invoice, name="invoice"),
    path("<slug:programme_slug>/", views_purchase.buy, name="buy"),
    path("<slug:programme_slug>/entreprise/", views_purchase.buy_for_company, name="buy_company"),
]
