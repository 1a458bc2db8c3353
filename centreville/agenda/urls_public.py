from . import urls_feeds

app_name = "agenda_public"

urlpatterns: list = [
    *urls_feeds.public_urlpatterns,
]
