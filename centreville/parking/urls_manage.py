app_name = "parking_manage"

urlpatterns: list = []
