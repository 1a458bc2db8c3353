app_name = "agenda_manage"

urlpatterns: list = []
