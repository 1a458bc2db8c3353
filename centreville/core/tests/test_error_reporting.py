"""Errors go to Sentry only when SENTRY_DSN is set, tagged with the request id, without personal data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import sentry_sdk

ROOT = Path(__file__).resolve().parents[3]
SERVICES = ("DATABASE_URL", "REDIS_URL")

# The settings start the SDK; its transport is replaced by a list, so nothing leaves the process.
CAPTURE_ONE_ERROR = """
import json, sys
import sentry_sdk
events = []
real_init = sentry_sdk.init
sentry_sdk.init = lambda **options: real_init(transport=events.append, **options)
import django
django.setup()
from centreville.core.logcontext import bound
with bound(request_id="req-0123456789"):
    try:
        raise ValueError("broken")
    except ValueError:
        sentry_sdk.capture_exception()
sentry_sdk.flush()
options = sentry_sdk.get_client().options
sys.stdout.write(json.dumps({
    "active": sentry_sdk.get_client().is_active(),
    "pii": options["send_default_pii"],
    "body": options["max_request_body_size"],
    "locals": options["include_local_variables"],
    "tags": [event.get("tags", {}) for event in events],
}))
"""


def run(tmp_path: Path, **env: str) -> dict[str, object]:
    environment = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.test", CENTREVILLE_VAR_DIR=str(tmp_path), **env
    )
    done = subprocess.run(
        [sys.executable, "-c", CAPTURE_ONE_ERROR],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout)
    return found


def test_without_a_dsn_nothing_is_reported(tmp_path: Path) -> None:
    found = run(tmp_path, SENTRY_DSN="")

    assert found["active"] is False
    assert found["tags"] == []
    assert not sentry_sdk.get_client().is_active()  # nor in this test process


def test_with_a_dsn_errors_are_reported_with_the_request_id_and_no_personal_data(tmp_path: Path) -> None:
    found = run(tmp_path, SENTRY_DSN="http://public@127.0.0.1:9/1")

    assert found["active"] is True
    assert (found["pii"], found["body"], found["locals"]) == (False, "never", False)
    assert found["tags"] == [{"request_id": "req-0123456789"}]
