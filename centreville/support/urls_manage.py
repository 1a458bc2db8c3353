from . import urls_coaching, urls_diagnostic, urls_followup, urls_training

app_name = "support_manage"

# Under /<town>/gestion/accompagnement/.
urlpatterns = [
    *urls_followup.manage_urlpatterns,
    *urls_diagnostic.manage_urlpatterns,
    *urls_training.manage_urlpatterns,
    *urls_coaching.manage_urlpatterns,
]
