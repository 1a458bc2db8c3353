from django.urls import path

from . import views_buyer as views

app_name = "invoicing_buyer"

urlpatterns = [
    path("factures/", views.invoice_list, name="list"),
    path("factures/<int:pk>/", views.invoice_detail, name="detail"),
    path("factures/<int:pk>/paiement/", views.payment_create, name="payment"),
    path("factures/<int:pk>/pdf/", views.invoice_pdf, name="pdf"),
    path("factures/<int:pk>/factur-x.xml", views.invoice_xml, name="xml"),
    path("releve/", views.statement, name="statement"),
    path("bulletins/", views.purchase_notes, name="purchase_notes"),
    path("bulletins/<int:pk>/pdf/", views.purchase_note_download, name="purchase_note"),
    path(
        "attestations/<slug:seller_slug>/<int:year>/pdf/",
        views.yearly_statement_download,
        name="yearly_statement",
    ),
]
