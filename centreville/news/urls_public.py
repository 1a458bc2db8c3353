from django.urls import path

from . import views_public as views

app_name = "news_public"

# Under /<town>/actualites/.
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("inscription-enregistree/", views.subscribed, name="subscribed"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("sms/reponses/", views.sms_inbound, name="sms_inbound"),
]
