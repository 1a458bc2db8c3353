app_name = "agenda_public"

urlpatterns: list = []
