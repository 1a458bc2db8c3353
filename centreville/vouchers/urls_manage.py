from django.urls import path

from . import views_manage as views

app_name = "vouchers_manage"

# Under /<town>/gestion/bons/
urlpatterns = [
    path("", views.programmes, name="programmes"),
    path("nouvelle/", views.programme_create, name="programme_create"),
    path("comptes/", views.accounts_index, name="accounts_index"),
    path("bon/", views.voucher_lookup, name="voucher_lookup"),
    path("bon/<str:code>/", views.voucher, name="voucher"),
    path("bon/<str:code>/annuler/", views.voucher_cancel_view, name="voucher_cancel"),
    path("<int:programme_id>/", views.programme, name="programme"),
    path("<int:programme_id>/modifier/", views.programme_edit, name="programme_edit"),
    path("<int:programme_id>/ouvrir/", views.programme_open, name="programme_open"),
    path("<int:programme_id>/clore/", views.programme_close, name="programme_close"),
    path("<int:programme_id>/commerces/", views.participations, name="participations"),
    path(
        "<int:programme_id>/commerces/<int:participation_id>/suspendre/",
        views.participation_suspend,
        name="participation_suspend",
    ),
    path("<int:programme_id>/invitations/", views.invitations, name="invitations"),
    path("<int:programme_id>/invitations/emettre/", views.invitations_issue_view, name="invitations_issue"),
    path("<int:programme_id>/feuilles.pdf", views.sheets_pdf, name="sheets"),
    path("<int:programme_id>/vente/", views.sale, name="sale"),
    path("<int:programme_id>/vente/faite/", views.sale_done, name="sale_done"),
    path("<int:programme_id>/releves/", views.statements_list, name="statements"),
    path("<int:programme_id>/releves/etablir/", views.statements_make, name="statements_make"),
    path("<int:programme_id>/releves/tresorerie.csv", views.treasury_export, name="treasury_export"),
    path("<int:programme_id>/releves/<int:statement_id>/paye/", views.statement_paid, name="statement_paid"),
    path("<int:programme_id>/releves/<int:statement_id>.csv", views.statement_csv, name="statement_csv"),
    path("<int:programme_id>/comptes/", views.programme_accounts, name="accounts"),
]
