from . import urls_pages

app_name = "agenda_public"

urlpatterns = [*urls_pages.public_urlpatterns]
