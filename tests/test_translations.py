"""Every French string of the interface has its English translation, compiled in the repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from pytest_django.fixtures import Settings

LOCALE = Path(settings.BASE_DIR) / "centreville" / "locale"
CATALOGUE = LOCALE / "en" / "LC_MESSAGES" / "django.po"


def test_every_interface_string_has_an_english_translation(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # makemessages writes beside the sources it reads, so it runs on a copy of them.
    source = Path(settings.BASE_DIR)
    for folder in ("centreville", "config"):
        shutil.copytree(source / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    settings.LOCALE_PATHS = [tmp_path / "centreville" / "locale"]
    monkeypatch.chdir(tmp_path)

    call_command("makemessages", locale=["en"], no_obsolete=True, no_location=True, verbosity=0)

    refreshed = tmp_path / "centreville" / "locale" / "en" / "LC_MESSAGES" / "django.po"
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(refreshed)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(refreshed)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    missing = [line for line in untranslated.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    assert not missing, f"Run `make messages` and translate: {missing}"
    assert "msgid" not in fuzzy.replace('msgid ""', ""), f"Fuzzy translations left: {fuzzy}"


def test_the_compiled_catalogue_matches_its_source(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(CATALOGUE)], check=True)
    assert compiled.read_bytes() == CATALOGUE.with_suffix(".mo").read_bytes(), "Run `make messages`."
