from django.urls import path

from . import views_producer as views

app_name = "invoicing_producer"

urlpatterns = [
    path("", views.invoice_list, name="list"),
    path("commande/<str:reference>/", views.order_invoices_page, name="order"),
    path("commande/<str:reference>/facture-corrigee/", views.corrected_invoice_create, name="corrected"),
    path("<str:number>/", views.invoice_detail, name="detail"),
    path("<str:number>/avoir/", views.credit_note_create, name="credit_note"),
    path("<str:number>/pdf/", views.invoice_pdf, name="pdf"),
    path("<str:number>/factur-x.xml", views.invoice_xml, name="xml"),
]
