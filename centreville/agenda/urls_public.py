from . import urls_feeds, urls_pages

app_name = "agenda_public"

# Under /<town>/agenda/: the feeds first, so that no page's address can take a file's name.
urlpatterns = [*urls_feeds.public_urlpatterns, *urls_pages.public_urlpatterns]
