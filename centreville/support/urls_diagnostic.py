"""The diagnostic pages' addresses, by audience; `urls_merchant.py`, `urls_manage.py` and
`urls_public.py` mount them.
"""

from django.urls import URLPattern, path

from . import views_diagnostic_manage as manage
from . import views_diagnostic_merchant as merchant

SHOP = "diagnostic/<slug:shop_slug>/"
TAKEN = f"{SHOP}<int:diagnostic_id>/"
VERSION = "diagnostic/versions/<int:version_id>/"
AREA = f"{VERSION}domaines/<int:area_id>/"

# Under /<town>/espace-commercant/accompagnement/.
merchant_urlpatterns: list[URLPattern] = [
    path("diagnostic/", merchant.diagnostic_home, name="diagnostic_home"),
    path(SHOP, merchant.diagnostic_shop, name="diagnostic_shop"),
    path(f"{SHOP}commencer/", merchant.diagnostic_start, name="diagnostic_start"),
    path(f"{TAKEN}etape-<int:step>/", merchant.diagnostic_step, name="diagnostic_step"),
    path(TAKEN, merchant.diagnostic_result, name="diagnostic_result"),
]
# Under /<town>/gestion/accompagnement/.
manage_urlpatterns: list[URLPattern] = [
    path("diagnostic/questionnaire/", manage.diagnostic_content, name="diagnostic_content"),
    path("diagnostic/questionnaire/adapter/", manage.diagnostic_adapt, name="diagnostic_adapt"),
    path(
        "diagnostic/questionnaire/<int:questionnaire_id>/brouillon/",
        manage.diagnostic_draft,
        name="diagnostic_draft",
    ),
    path(VERSION, manage.diagnostic_version, name="diagnostic_version"),
    path(f"{VERSION}publier/", manage.diagnostic_publish, name="diagnostic_publish"),
    path(f"{VERSION}abandonner/", manage.diagnostic_discard, name="diagnostic_discard"),
    path(AREA, manage.diagnostic_area, name="diagnostic_area"),
    path(f"{AREA}questions/<int:question_id>/", manage.diagnostic_question, name="diagnostic_question"),
    path(f"{AREA}fiches/<int:sheet_id>/", manage.diagnostic_sheet, name="diagnostic_sheet"),
    path(f"{VERSION}retirer/<slug:kind>/<int:item_id>/", manage.diagnostic_remove, name="diagnostic_remove"),
]
public_urlpatterns: list[URLPattern] = []
