app_name = "agenda_merchant"

urlpatterns: list = []
