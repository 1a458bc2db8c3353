app_name = "news_manage"

urlpatterns: list = []
