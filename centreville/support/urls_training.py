"""The training pages' addresses, by audience; `urls_merchant.py`, `urls_manage.py` and
`urls_public.py` mount them.
"""

from django.urls import URLPattern, path

from . import views_training_manage as manage
from . import views_training_merchant as merchant
from . import views_training_public as public

# Under /<town>/espace-commercant/accompagnement/.
merchant_urlpatterns: list[URLPattern] = [
    path("formations/", merchant.training_list, name="training_list"),
    path("formations/<int:session_id>/inscription/", merchant.training_register, name="training_register"),
    path(
        "formations/inscriptions/<int:registration_id>/annuler/",
        merchant.training_cancel,
        name="training_cancel",
    ),
    path("formations/taches/<int:task_id>/", merchant.training_task, name="training_task"),
]
# Under /<town>/gestion/accompagnement/.
manage_urlpatterns: list[URLPattern] = [
    path("formations/", manage.training_sessions, name="training_sessions"),
    path("formations/nouvelle/", manage.training_session_create, name="training_session_create"),
    path("formations/<int:session_id>/", manage.training_session, name="training_session"),
    path("formations/<int:session_id>/modifier/", manage.training_session_edit, name="training_session_edit"),
    path(
        "formations/<int:session_id>/annuler/", manage.training_session_cancel, name="training_session_cancel"
    ),
    path("formations/<int:session_id>/presences/", manage.training_attendance, name="training_attendance"),
    path("formations/<int:session_id>/taches/", manage.training_tasks, name="training_tasks"),
    path(
        "formations/<int:session_id>/inscriptions/<int:registration_id>/annuler/",
        manage.training_unregister,
        name="training_unregister",
    ),
    path(
        "formations/<int:session_id>/inscrits.csv",
        manage.training_registrants_csv,
        name="training_registrants_csv",
    ),
]
# Under /<town>/accompagnement/.
public_urlpatterns: list[URLPattern] = [
    path("formations.ics", public.training_feed, name="training_feed"),
    path("formations/<int:session_id>.ics", public.training_ics, name="training_ics"),
]
