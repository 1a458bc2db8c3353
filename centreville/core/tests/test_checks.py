"""A real deployment refuses the demo's unsafe defaults, at `check --deploy` and when the server starts."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from pytest_django.fixtures import Settings

from centreville.core.checks import message_backends, metrics_protected, public_address
from centreville.core.startup import refuse_unsafe_settings

ROOT = Path(__file__).resolve().parents[3]
SAFE_PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "centreville.example",
    "PUBLIC_BASE_URL": "https://centreville.example",
    "EMAIL_URL": "smtp+tls://centreville:secret@smtp.centreville.example:587",
    "SMS_BACKEND": "sms_operator.SmsBackend",
    "METRICS_TOKEN": secrets.token_urlsafe(32),
}


def run_production(tmp_path: Path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Python in a fresh process on the production profile, with the safe environment changed by `env`."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PAYMENT_PROVIDER", "EMAIL_URL", "SMS_BACKEND", "DJANGO_DEBUG")
    }
    environment.update(
        SAFE_PRODUCTION_ENV,
        CENTREVILLE_VAR_DIR=str(tmp_path),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


CHECK_DEPLOY = "import sys; from django.core.management import execute_from_command_line as run; " + (
    "run(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
)


def test_the_production_profile_passes_its_deployment_checks_when_set_up_for_real(tmp_path: Path) -> None:
    result = run_production(tmp_path, CHECK_DEPLOY)

    assert result.returncode == 0, result.stderr
    started = run_production(tmp_path, "import config.wsgi")
    assert started.returncode == 0, started.stderr


def test_check_deploy_refuses_the_fake_payment_provider_in_production(tmp_path: Path) -> None:
    result = run_production(tmp_path, CHECK_DEPLOY, PAYMENT_PROVIDER="fake")

    assert result.returncode != 0
    assert "payments.E003" in result.stderr


def test_the_web_server_refuses_to_start_with_the_fake_payment_provider_in_production(tmp_path: Path) -> None:
    # gunicorn imports config.wsgi and runs no check of its own
    result = run_production(tmp_path, "import config.wsgi", PAYMENT_PROVIDER="fake")

    assert result.returncode != 0
    assert "Refusing to start" in result.stderr
    assert "payments.E003" in result.stderr


def test_the_web_server_refuses_to_start_on_an_http_public_address_or_console_email(tmp_path: Path) -> None:
    result = run_production(
        tmp_path,
        "import config.wsgi",
        PUBLIC_BASE_URL="http://centreville.example",
        EMAIL_URL="consolemail://",
    )

    assert result.returncode != 0
    assert "core.E001" in result.stderr
    assert "core.E003" in result.stderr


def test_startup_refuses_on_an_error_and_lets_warnings_through(settings: Settings) -> None:
    settings.CHECK_DEPLOYMENT_AT_STARTUP = True
    settings.PUBLIC_BASE_URL = "https://testserver"
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.SMS_BACKEND = "centreville.notifications.sms.ConsoleSmsBackend"  # a warning only
    settings.PAYMENT_PROVIDER = "none"
    settings.METRICS_TOKEN = secrets.token_urlsafe(32)
    refuse_unsafe_settings()

    settings.PAYMENT_FAKE_ALLOWED = False
    settings.PAYMENT_PROVIDER = "fake"
    with pytest.raises(ImproperlyConfigured, match=r"payments\.E003"):
        refuse_unsafe_settings()


@pytest.mark.parametrize(
    ("address", "hosts", "expected"),
    [
        ("https://centreville.example", ["centreville.example"], []),
        ("https://centreville.example:8443/", [".centreville.example"], []),
        ("http://centreville.example", ["centreville.example"], ["core.E001"]),
        ("centreville.example", ["centreville.example"], ["core.E001"]),
        ("https://", ["*"], ["core.E001"]),
        ("https://autre.example", ["centreville.example"], ["core.E002"]),
    ],
)
def test_the_public_address_must_be_https_and_served_here(
    settings: Settings, address: str, hosts: list[str], expected: list[str]
) -> None:
    settings.PUBLIC_BASE_URL = address
    settings.ALLOWED_HOSTS = hosts

    assert [message.id for message in public_address()] == expected


@pytest.mark.parametrize(
    ("email", "sms", "expected"),
    [
        ("django.core.mail.backends.smtp.EmailBackend", "sms_operator.SmsBackend", []),
        ("django.core.mail.backends.console.EmailBackend", "sms_operator.SmsBackend", ["core.E003"]),
        ("django.core.mail.backends.locmem.EmailBackend", "sms_operator.SmsBackend", ["core.E003"]),
        (
            "django.core.mail.backends.smtp.EmailBackend",
            "centreville.notifications.sms.ConsoleSmsBackend",
            ["core.W001"],
        ),
    ],
)
def test_messages_must_leave_the_server(
    settings: Settings, email: str, sms: str, expected: list[str]
) -> None:
    settings.EMAIL_BACKEND = email
    settings.SMS_BACKEND = sms

    found = message_backends()

    assert [message.id for message in found] == expected
    assert all(message.is_serious() == str(message.id).startswith("core.E") for message in found)


def test_the_web_server_refuses_to_start_with_metrics_open_to_anyone_in_production(tmp_path: Path) -> None:
    unset = run_production(tmp_path, "import config.wsgi", METRICS_TOKEN="")
    short = run_production(tmp_path, "import config.wsgi", METRICS_TOKEN="secret")

    for result in (unset, short):
        assert result.returncode != 0
        assert "Refusing to start" in result.stderr
        assert "core.E004" in result.stderr


@pytest.mark.parametrize(
    ("token", "multiprocess_dir", "expected"),
    [
        ("t" * 32, "made", []),
        ("", "made", ["core.E004"]),
        ("t" * 31, "made", ["core.E004"]),
        ("t" * 32, "", ["core.W002"]),
        ("t" * 32, "missing", ["core.E005"]),
    ],
)
def test_metrics_need_a_long_token_and_a_shared_directory_in_production(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    token: str,
    multiprocess_dir: str,
    expected: list[str],
) -> None:
    settings.METRICS_TOKEN = token
    (tmp_path / "made").mkdir()
    if multiprocess_dir:
        monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / multiprocess_dir))
    else:
        monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)

    assert [message.id for message in metrics_protected()] == expected
