from . import urls_imports

app_name = "agenda_manage"

urlpatterns: list = [
    *urls_imports.manage_urlpatterns,
]
