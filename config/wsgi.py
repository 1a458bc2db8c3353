import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

# A WSGI server runs no system checks of its own: refuse to serve with unsafe settings.
from centreville.core.startup import refuse_unsafe_settings  # noqa: E402  (needs the apps loaded)

refuse_unsafe_settings()
