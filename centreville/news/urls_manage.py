from django.urls import path

from . import views_manage as views

app_name = "news_manage"

# Under /<town>/gestion/lettres/.
urlpatterns = [
    path("", views.letters_list, name="letters"),
    path("nouvelle/", views.letter_create, name="letter_create"),
    path("reglages/", views.news_settings, name="settings"),
    path("<int:campaign_id>/", views.letter, name="letter"),
    path("<int:campaign_id>/modifier/", views.letter_edit, name="letter_edit"),
    path("<int:campaign_id>/apercu/", views.letter_preview, {"format": "html"}, name="letter_preview"),
    path(
        "<int:campaign_id>/apercu/texte/",
        views.letter_preview,
        {"format": "texte"},
        name="letter_preview_text",
    ),
    path("<int:campaign_id>/essai/", views.letter_test, name="letter_test"),
    path("<int:campaign_id>/envoyer/", views.letter_send, name="letter_send"),
]
