app_name = "news_public"

urlpatterns: list = []
