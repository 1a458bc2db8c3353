"""What the web server checks before it serves anyone.

`manage.py` commands run Django's system checks, but a WSGI server (gunicorn) runs none: in production
config.wsgi calls `refuse_unsafe_settings()`, which runs them, deployment checks included, and refuses to
start on any error (the fake payment provider, an http:// public address, e-mail that goes nowhere…).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


def refuse_unsafe_settings() -> None:
    """Raise ImproperlyConfigured listing every error of the system checks; log their warnings.

    Deployment checks are included where CHECK_DEPLOYMENT_AT_STARTUP is on (the production profile).
    """
    found = checks.run_checks(include_deployment_checks=settings.CHECK_DEPLOYMENT_AT_STARTUP)
    found = [message for message in found if not message.is_silenced()]
    for message in found:
        if not message.is_serious():
            logger.warning("%s", message)
    errors = [message for message in found if message.is_serious()]
    if errors:
        raise ImproperlyConfigured(
            "Refusing to start, the settings are unsafe:\n" + "\n".join(f"- {error}" for error in errors)
        )
