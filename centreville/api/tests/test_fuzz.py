"""The API's OpenAPI schema, fuzzed in-process: no answer is a 500, every answer is what the schema says.

Schemathesis generates requests from the schema (bounded and derandomised: the same cases each run) and
sends them to the WSGI application itself; nothing leaves the process. Every other case is sent by the
baker's signed-in browser about the scene's town and shop, so that the fuzzer gets past the 404s and 401s.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection, positive_data_acceptance

from centreville.api.urls import api
from config.wsgi import application

from .conftest import Scene

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
# A NUL character is refused on purpose (no database keeps it: see parser.py), with a 400 in the API's
# error shape; the fuzzer is told not to count that as valid data.
schema.config.generation.update(allow_x00=False)

EXAMPLES_PER_OPERATION = 30
# Checks that judge the case as generated, which the signed-in half changes: its own cookie replaces the
# generated (or missing) one, and a real town and shop make business rules answer (a 400 "not sold
# here" for a made-up product is right, yet schema-valid).
CHECKS_OF_THE_GENERATED_CASE = [ignored_auth, negative_data_rejection, positive_data_acceptance]
_turn = itertools.count()


@contextmanager
def _connection_kept_open() -> Iterator[None]:
    """Called through WSGI, Django closes the database connection around each request, and with it the
    test's transaction (on PostgreSQL): hold it open, as Django's own test client does for its requests
    (which is also why this wraps each call, not the test: that client connects the handlers back)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def baker_browser(scene: Scene) -> dict[str, str]:
    """The cookies of the baker's browser, signed in, with its CSRF token."""
    client = Client()
    client.force_login(scene.baker)
    client.get("/api/villes/argentan-test/panier")
    return {name: morsel.value for name, morsel in client.cookies.items()}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(scene: Scene, baker_browser: dict[str, str], case: Any) -> None:
    # The WSGI test transport does not unzip: ask for the plain body (GZipMiddleware answers both).
    headers = {"Accept-Encoding": "identity"}
    cookies: dict[str, str] = {}
    excluded: list[Any] = []
    if next(_turn) % 2:
        known = {"town": scene.town.slug, "shop": scene.bakery.slug}
        if case.path_parameters:
            case.path_parameters.update({k: v for k, v in known.items() if k in case.path_parameters})
        cookies = baker_browser
        headers["X-CSRFToken"] = baker_browser["csrftoken"]
        excluded = CHECKS_OF_THE_GENERATED_CASE
    with _connection_kept_open():
        case.call_and_validate(app=application, headers=headers, cookies=cookies, excluded_checks=excluded)
