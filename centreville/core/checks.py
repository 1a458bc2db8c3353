"""Settings a real deployment must not keep from the demo: checked by `manage.py check --deploy` and, in
production, when the web server starts (see `centreville.core.startup`)."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.http.request import split_domain_port, validate_host

# E-mail backends that deliver nothing: they print, keep in memory, write files or drop the message.
UNSENT_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
UNSENT_SMS_BACKENDS = {
    "centreville.notifications.sms.ConsoleSmsBackend",
    "centreville.notifications.sms.MemorySmsBackend",
}


@register(Tags.security, deploy=True)
def public_address(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every link in messages, QR codes and canonical URLs is built on PUBLIC_BASE_URL."""
    url = urlsplit(settings.PUBLIC_BASE_URL)
    if url.scheme != "https" or not url.hostname:
        return [
            Error(
                f"PUBLIC_BASE_URL must be an https:// address, not {settings.PUBLIC_BASE_URL!r}.",
                hint="Links in e-mails, SMS and QR codes are built on it: e.g. https://centreville.example",
                id="core.E001",
            )
        ]
    host, _port = split_domain_port(url.netloc)
    if not validate_host(host, settings.ALLOWED_HOSTS):
        return [
            Error(
                f"The host of PUBLIC_BASE_URL ({host}) is not in ALLOWED_HOSTS: every link would be refused.",
                id="core.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def message_backends(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Account confirmations and order messages must reach people, not the server's log."""
    found: list[CheckMessage] = []
    if settings.EMAIL_BACKEND in UNSENT_EMAIL_BACKENDS:
        found.append(
            Error(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: no e-mail would be sent, so nobody could "
                "confirm an account or reset a password, and no customer would hear about their order.",
                hint="Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587",
                id="core.E003",
            )
        )
    if settings.SMS_BACKEND in UNSENT_SMS_BACKENDS:
        found.append(
            Warning(
                f"SMS_BACKEND is {settings.SMS_BACKEND}: text messages would be printed in the worker's log, "
                "and neither merchants nor customers would receive them.",
                hint="Set SMS_BACKEND to the dotted path of your SMS operator's class (with send(to, body)).",
                id="core.W001",
            )
        )
    return found


METRICS_TOKEN_MIN_LENGTH = 32


@register(Tags.security, deploy=True)
def metrics_protected(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The metrics page is for the operators: refused without a token nobody can guess; and several
    workers must add up, or each scrape would read one worker's counts."""
    found: list[CheckMessage] = []
    if len(settings.METRICS_TOKEN) < METRICS_TOKEN_MIN_LENGTH:
        found.append(
            Error(
                "METRICS_TOKEN is unset or shorter than "
                f"{METRICS_TOKEN_MIN_LENGTH} characters: anyone could read the metrics at /sante/metriques/.",
                hint="Set METRICS_TOKEN, e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))', "
                "and give it to Prometheus (authorization: credentials).",
                id="core.E004",
            )
        )
    multiprocess_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if not multiprocess_dir:
        found.append(
            Warning(
                "PROMETHEUS_MULTIPROC_DIR is not set: each server worker counts for itself, and a scrape "
                "reads whichever worker answers it.",
                hint="Set it to a directory of the machine, emptied when the service starts, the same for "
                "the web server and the task workers.",
                id="core.W002",
            )
        )
    elif not os.access(multiprocess_dir, os.W_OK):
        found.append(
            Error(
                f"PROMETHEUS_MULTIPROC_DIR ({multiprocess_dir}) is not a directory this process can write.",
                id="core.E005",
            )
        )
    return found
