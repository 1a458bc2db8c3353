from django.urls import path

from . import views_manage

app_name = "shops_manage"

# Under /<town>/gestion/commerces/.
urlpatterns = [
    path("", views_manage.shop_queue, name="queue"),
    path("<int:shop_id>/apercu/", views_manage.shop_preview, name="preview"),
    path("<int:shop_id>/decision/", views_manage.shop_decide, name="decide"),
]

# Under /<town>/revendications/, namespace "shops_claims", with the claimant's page
# (`centreville.shops.urls_account.claim_urlpatterns`): both are mounted together in config/urls.py.
claim_urlpatterns = [
    path("gestion/", views_manage.claim_list, name="manage"),
    path("gestion/<int:claim_id>/", views_manage.claim_decide, name="decide"),
]

# Under /<town>/gestion/imports/, namespace "shops_imports".
import_urlpatterns = [
    path("", views_manage.import_index, name="index"),
    path("<int:run_id>/", views_manage.import_run, name="run"),
    path("<int:run_id>/rapport.csv", views_manage.import_run_report, name="run_report"),
    path("horaires/<int:shop_id>/verifie/", views_manage.hours_checked, name="hours_checked"),
]
