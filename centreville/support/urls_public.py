from . import urls_coaching, urls_diagnostic, urls_training

app_name = "support_public"

# Under /<town>/accompagnement/: what needs no account (the training sessions' calendar).
urlpatterns = [
    *urls_diagnostic.public_urlpatterns,
    *urls_training.public_urlpatterns,
    *urls_coaching.public_urlpatterns,
]
