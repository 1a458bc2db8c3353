"""The header of an uploaded sheet, read once for every import."""

import pytest

from centreville.core.spreadsheets import ImportRefused, header_key, read_table

KNOWN = {"prix ht": "price", "produit": "title", "reference": "sku"}
NAMES = {"price": "prix HT", "title": "produit", "sku": "référence"}


def _read(rows, max_lines=10):
    return read_table(
        enumerate(rows, start=1),
        column_of=lambda header: KNOWN.get(header_key(header)),
        column_names=NAMES,
        needs_one_of=("sku", "title"),
        missing_message="Il manque « produit » ; trouvées : %(found)s",
        max_lines=max_lines,
    )


def test_header_key_ignores_case_accents_punctuation_and_brackets():
    assert header_key("  Prix HT (€) ") == "prix ht"
    assert header_key("Référence") == "reference"
    assert header_key(None) == ""


def test_the_first_non_blank_row_is_the_header_and_unknown_columns_are_reported():
    table = _read(
        [["", None], ["Produit", "Couleur", "Prix HT (€)"], ["", ""], ["Pommes", "rouge", "2,10"], ["Poires"]]
    )

    assert table.columns == {0: "title", 2: "price"}
    assert table.ignored_columns == ["Couleur"]
    assert table.lines == [(4, {"title": "Pommes", "price": "2,10"}), (5, {"title": "Poires", "price": None})]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "Ce fichier est vide."),
        ([["", ""]], "Ce fichier est vide."),
        ([["Produit", "produit"]], "La colonne « produit » apparaît deux fois."),
        ([["Couleur", "Prix HT"]], "Il manque « produit » ; trouvées : « Couleur », « Prix HT »"),
        ([["Produit"], ["a"], ["b"], ["c"]], "Plus de 2 lignes : découpez le fichier en plusieurs."),
    ],
)
def test_a_file_that_cannot_be_read_as_a_table_is_refused_whole(rows, message):
    with pytest.raises(ImportRefused) as refused:
        _read(rows, max_lines=2)

    assert refused.value.message == message
