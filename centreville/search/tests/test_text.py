"""French text normalisation, stemming and edit distance, shared by both backends."""

from __future__ import annotations

import pytest

from centreville.search.text import (
    one_edit_away,
    query_terms,
    snippet,
    stem,
    stemmed_text,
    vocabulary_words,
    within_one_edit,
    words,
)


def test_words_lose_case_accents_ligatures_and_elisions() -> None:
    assert words("L'Œuf à la Crème BRÛLÉE, s\N{RIGHT SINGLE QUOTATION MARK}il-vous-plaît !") == [
        "l",
        "oeuf",
        "a",
        "la",
        "creme",
        "brulee",
        "s",
        "il",
        "vous",
        "plait",
    ]


@pytest.mark.parametrize(
    ("forms", "shared"),
    [
        (("fromage", "fromages", "Fromages"), "fromag"),
        (("boulanger", "boulangère", "boulangères", "boulangers"), "boulanger"),
        (("gâteau", "gâteaux"), "gateau"),
        (("journal", "journaux"), "journal"),
        (("bijou", "bijoux"), "bijou"),
        (("vendeur", "vendeuse", "vendeuses"), "vendeur"),
        (("sportif", "sportive", "sportives"), "sportif"),
        (("italien", "italienne"), "italien"),
        (("pâtisserie", "pâtisseries", "patisserie"), "patisseri"),
    ],
)
def test_the_stemmer_conflates_plurals_and_feminines(forms: tuple[str, ...], shared: str) -> None:
    assert {stem(words(form)[0]) for form in forms} == {shared}


def test_the_stemmer_leaves_short_words_and_numbers_alone() -> None:
    assert [stem(word) for word in ("pas", "riz", "800", "4x4", "bus")] == ["pas", "riz", "800", "4x4", "bus"]


def test_stemmed_text_drops_stop_words() -> None:
    assert stemmed_text("Le pain de campagne et les croissants") == "pain campagn croissant"


def test_query_terms_keep_their_place_in_the_query() -> None:
    terms = query_terms("Le PAIN d'épices, le pain !")
    assert [(term.word, "Le PAIN d'épices, le pain !"[term.start : term.end]) for term in terms] == [
        ("pain", "PAIN"),
        ("epices", "épices"),
    ]
    assert query_terms(" ".join(f"mot{n}" for n in range(30)))[-1].word == "mot9"


def test_vocabulary_words_are_worth_correcting_to() -> None:
    assert list(vocabulary_words("Le lot de 12 œufs frais, 800 g")) == ["lot", "oeufs", "frais"]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("boulangrie", "boulangerie", True),  # a letter missing
        ("boulangerie", "boulangrie", True),
        ("camenbert", "camembert", True),  # a wrong letter
        ("fromagreie", "fromagerie", True),  # two letters swapped
        ("pain", "pains", True),
        ("pain", "pain", False),
        ("bulangrie", "boulangerie", False),
        ("abcd", "dcba", False),
        ("ab", "ba", True),
    ],
)
def test_within_one_edit(first: str, second: str, expected: bool) -> None:
    assert within_one_edit(first, second) is expected
    assert (second in one_edit_away(first)) is expected


def test_snippets_show_the_first_match_in_context() -> None:
    text = "Une très longue présentation de la maison. " * 5 + "Nos fromages sont affinés sur place."
    fragments = snippet(text, ["fromage"])
    assert fragments[0].text == "… "
    assert [f.text for f in fragments if f.matched] == ["fromages"]
    assert len("".join(f.text for f in fragments)) <= 190
    assert snippet("", ["x"]) == []
    assert "".join(f.text for f in snippet("Court.", ["rien"])) == "Court."
