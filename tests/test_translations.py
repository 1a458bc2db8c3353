"""Every French string of the interface has its English translation, compiled in the repository; French
counts follow French plural rules."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation
from pytest_django.fixtures import Settings

LOCALE = Path(settings.BASE_DIR) / "centreville" / "locale"
CATALOGUE = LOCALE / "en" / "LC_MESSAGES" / "django.po"
# French is the source language; its catalogue repeats each string so that counts follow French plural rules.
FRENCH_CATALOGUE = LOCALE / "fr" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_interface_string_is_in_the_catalogues(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    # makemessages writes beside the sources it reads, so it runs on a copy of them.
    source = Path(settings.BASE_DIR)
    for folder in ("centreville", "config"):
        shutil.copytree(source / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    settings.LOCALE_PATHS = [tmp_path / "centreville" / "locale"]
    monkeypatch.chdir(tmp_path)

    call_command("makemessages", locale=[language], no_obsolete=True, no_location=True, verbosity=0)

    refreshed = tmp_path / "centreville" / "locale" / language / "LC_MESSAGES" / "django.po"
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


@pytest.mark.parametrize("catalogue", [CATALOGUE, FRENCH_CATALOGUE], ids=["en", "fr"])
def test_the_compiled_catalogue_matches_its_source(tmp_path: Path, catalogue: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(catalogue)], check=True)
    assert compiled.read_bytes() == catalogue.with_suffix(".mo").read_bytes(), "Run `make messages`."


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", ["0 commerce", "1 commerce", "2 commerces"]), ("en", ["0 shops", "1 shop", "2 shops"])],
)
def test_counts_follow_each_languages_plural_rule(language: str, expected: list[str]) -> None:
    # French treats 0 like 1; gettext's fallback (and English) treat 0 like 2.
    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} commerce{% plural %}"
        "{{ counter }} commerces{% endblocktranslate %}"
    )

    with translation.override(language):
        assert [template.render(Context({"n": n})) for n in (0, 1, 2)] == expected
