app_name = "parking_public"

urlpatterns: list = []
