from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from centreville.towns import views as town_views

admin.site.site_header = "Centre-Ville en ligne — administration de la plateforme"

urlpatterns = [
    path("", town_views.platform_home, name="platform_home"),
    path("ping/", town_views.ping, name="ping"),
    path("admin/", admin.site.urls),
    path("compte/", include("allauth.urls")),
    path("compte/espace/", include("centreville.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("<slug:town_slug>/", include("centreville.towns.urls")),
    path("<slug:town_slug>/commerces/", include("centreville.shops.urls")),
]

if settings.SERVE_MEDIA:
    # Uploaded files for the demo; a real deployment serves them from its web server.
    urlpatterns.insert(0, re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}))
