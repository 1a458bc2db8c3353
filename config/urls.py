from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from centreville.accounts import views as account_views
from centreville.api.urls import api
from centreville.catalogue import sitemaps as catalogue_sitemaps
from centreville.core import views as core_views
from centreville.premises import urls_manage as premises_urls_manage
from centreville.shops import sitemaps as shop_sitemaps
from centreville.shops import urls_account as shop_urls_account
from centreville.shops import urls_manage as shop_urls_manage
from centreville.showcase import views as showcase_views
from centreville.towns import views as town_views

admin.site.site_header = "Centre-Ville en ligne — administration de la plateforme"
handler400 = "centreville.core.views.bad_request"

urlpatterns = [
    path("", showcase_views.platform_home, name="platform_home"),
    path("ping/", town_views.ping, name="ping"),
    # Health for load balancers and metrics for Prometheus: before the towns' addresses ("sante" is reserved).
    path("sante/", include("centreville.core.urls_operator")),
    path("robots.txt", shop_sitemaps.robots_txt, name="robots_txt"),
    path("admin/", admin.site.urls),
    path("confidentialite/", account_views.privacy, name="privacy"),
    path("compte/", include("allauth.urls")),
    path("compte/espace/jetons/", include("centreville.api.urls_account")),
    path("compte/espace/", include("centreville.accounts.urls")),
    path("api/", api.urls),
    path("paiement/", include("centreville.payments.urls")),
    path("langue/<str:language>/", core_views.choose_language, name="choose_language"),
    # Producers' and professional buyers' pages: before the towns' addresses ("pro" is reserved). The
    # invoices' "achats/factures/…" come before the orders' "achats/<reference>/".
    path("pro/commander/", include("centreville.wholesale.urls_order")),
    path("pro/", include("centreville.enterprises.urls_pro")),
    path("pro/<slug:enterprise_slug>/factures/", include("centreville.invoicing.urls_producer")),
    path("pro/<slug:enterprise_slug>/achats/", include("centreville.invoicing.urls_buyer")),
    path("pro/<slug:enterprise_slug>/", include("centreville.wholesale.urls_producer")),
    path("pro/<slug:enterprise_slug>/", include("centreville.wholesale.urls_buyer")),
    path("pro/<slug:enterprise_slug>/lots/", include("centreville.lots.urls_import")),
    path("pro/<slug:enterprise_slug>/lots/", include("centreville.lots.urls_producer")),
    # The producers' exchange of the whole platform: before the towns' addresses ("producteurs" is reserved).
    path("producteurs/", include("centreville.lots.urls_platform")),
    path("<slug:town_slug>/producteurs/", include("centreville.lots.urls_public")),
    path("<slug:town_slug>/sitemap.xml", catalogue_sitemaps.space_sitemap, name="space_sitemap"),
    path("<slug:town_slug>/", include("centreville.showcase.urls")),
    path("<slug:town_slug>/", include("centreville.towns.urls")),
    path("<slug:town_slug>/", include("centreville.observatory.urls")),
    path("<slug:town_slug>/donnees-ouvertes/", include("centreville.opendata.urls_public")),
    path("<slug:town_slug>/commerces/", include("centreville.shops.urls_public")),
    path("<slug:town_slug>/commerces/", include("centreville.catalogue.urls")),
    path("<slug:town_slug>/recherche/", include("centreville.search.urls")),
    path("<slug:town_slug>/espace-commercant/", include("centreville.merchants.urls")),
    path("<slug:town_slug>/espace-commercant/", include("centreville.fulfilment.urls_merchant")),
    path("<slug:town_slug>/espace-commercant/commandes/", include("centreville.orders.urls_merchant")),
    path("<slug:town_slug>/panier/commande/", include("centreville.orders.urls_checkout")),
    path("<slug:town_slug>/panier/", include("centreville.baskets.urls")),
    path("<slug:town_slug>/commande/", include("centreville.orders.urls_customer")),
    path("<slug:town_slug>/gestion/retrait-livraison/", include("centreville.fulfilment.urls_manage")),
    path("<slug:town_slug>/gestion/frequentation/", include("centreville.footfall.urls_manage")),
    path("<slug:town_slug>/qr/", include("centreville.signage.urls")),
    path("<slug:town_slug>/accompagnement/", include("centreville.support.urls_public")),
    path("<slug:town_slug>/espace-commercant/accompagnement/", include("centreville.support.urls_merchant")),
    path("<slug:town_slug>/gestion/accompagnement/", include("centreville.support.urls_manage")),
    path("<slug:town_slug>/agenda/", include("centreville.agenda.urls_public")),
    path("<slug:town_slug>/espace-commercant/offres/", include("centreville.agenda.urls_merchant")),
    path("<slug:town_slug>/gestion/agenda/", include("centreville.agenda.urls_manage")),
    path("<slug:town_slug>/stationnement/", include("centreville.parking.urls_public")),
    path("<slug:town_slug>/gestion/stationnement/", include("centreville.parking.urls_manage")),
    path("<slug:town_slug>/actualites/", include("centreville.news.urls_public")),
    path("<slug:town_slug>/espace-commercant/abonnes/", include("centreville.news.urls_merchant")),
    path("<slug:town_slug>/gestion/lettres/", include("centreville.news.urls_manage")),
    path("<slug:town_slug>/gestion/producteurs/", include("centreville.enterprises.urls_manage")),
    path("<slug:town_slug>/bons/acheter/", include("centreville.vouchers.urls_purchase")),
    path("<slug:town_slug>/bons/", include("centreville.vouchers.urls_public")),
    path("<slug:town_slug>/espace-commercant/bons/", include("centreville.vouchers.urls_merchant")),
    path("<slug:town_slug>/gestion/bons/", include("centreville.vouchers.urls_manage")),
    # One namespace for the claims of a shop: the person claiming it, and the town manager deciding.
    path(
        "<slug:town_slug>/revendications/",
        include((shop_urls_account.claim_urlpatterns + shop_urls_manage.claim_urlpatterns, "shops_claims")),
    ),
    path("<slug:town_slug>/gestion/commerces/", include("centreville.shops.urls_manage")),
    path("<slug:town_slug>/gestion/locaux/", include("centreville.premises.urls_manage")),
    path(
        "<slug:town_slug>/gestion/porteurs-de-projet/",
        include((premises_urls_manage.project_urlpatterns, "premises_projects")),
    ),
    path(
        "<slug:town_slug>/gestion/imports/",
        include((shop_urls_manage.import_urlpatterns, "shops_imports")),
    ),
]

if settings.SERVE_MEDIA:
    # Uploaded files for the demo; a real deployment serves them from its web server.
    urlpatterns.insert(0, re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}))
