"""« de » before a town or shop name, as French writes it."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from centreville.core.french import de


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Argentan", "d'Argentan"),
        ("Alençon", "d'Alençon"),
        ("Évreux", "d'Évreux"),
        ("Hérouville-Saint-Clair", "d'Hérouville-Saint-Clair"),
        ("Yvetot", "d'Yvetot"),
        ("Caen", "de Caen"),
        ("Hazebrouck", "de Hazebrouck"),
        ("Le Havre", "du Havre"),
        ("Le Mans", "du Mans"),
        ("Les Andelys", "des Andelys"),
        ("La Ferté-Macé", "de La Ferté-Macé"),
        ("L'Aigle", "de L'Aigle"),
        ("Le Fournil de Léa", "du Fournil de Léa"),
        ("Épicerie Vallée", "d'Épicerie Vallée"),
        ("Lisieux", "de Lisieux"),
    ],
)
def test_de_elides_and_contracts_in_french(name: str, expected: str) -> None:
    with translation.override("fr"):
        assert de(name) == expected


def test_other_languages_get_the_name_alone() -> None:
    with translation.override("en"):
        assert de("Argentan") == "Argentan"
        assert de("Le Havre") == "Le Havre"


def test_the_template_filter_escapes_what_it_is_given() -> None:
    template = Template("{% load french %}{{ name|de }}")

    with translation.override("fr"):
        html = template.render(Context({"name": "Alençon <b>"}))

    assert html == "d&#x27;Alençon &lt;b&gt;"


def test_a_colon_follows_each_languages_typography() -> None:
    template = Template("{% load french %}Motif{% colon %} congés")

    with translation.override("fr"):
        assert template.render(Context()) == "Motif : congés"
    with translation.override("en"):
        assert template.render(Context()) == "Motif: congés"
