app_name = "news_merchant"

urlpatterns: list = []
