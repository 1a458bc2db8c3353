"""A chart's table, its CSV and the download a page answers for it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from centreville.core.charts import Category, Chart, Series, chart_csv_download


def _chart() -> Chart:
    return Chart(
        slug="vacance",
        title="Taux de vacance",
        kind="line",
        category_label="Mois",
        categories=[Category("2026-01", "janvier 2026"), Category("2026-02", "février 2026")],
        series=[Series("Centre-ville", [Decimal("12.5"), None], decimals=1), Series("Rue =cmd", [1234, 0])],
        unit="%",
    )


def test_a_series_needs_one_value_per_category() -> None:
    with pytest.raises(ValueError, match="one value per category"):
        Chart("x", "X", "bar", "Mois", [Category("a", "a")], [Series("s", [1, 2])])


def test_the_table_shows_gaps_as_dashes_and_french_numbers() -> None:
    with translation.override("fr"):
        request = RequestFactory().get("/argentan/observatoire/?periode=an")
        html = render_to_string("includes/_chart.html", {"chart": _chart()}, request=request)
    assert '<caption id="legende-vacance" class="visually-hidden">Taux de vacance (%)</caption>' in html
    assert '<div class="table-scroll" tabindex="0" role="group" aria-labelledby="legende-vacance">' in html
    assert '<figcaption class="chart-title">Taux de vacance' in html
    assert (
        '<th scope="row" data-key="2026-01">janvier 2026</th><td class="number" data-value="12.5">12,5</td>'
    ) in html
    assert '<td class="number" data-value="">—</td><td class="number" data-value="0">0</td>' in html
    assert '<th scope="col" class="number" data-decimals="1">Centre-ville</th>' in html
    assert "?periode=an&amp;csv=vacance" in html
    assert _chart().is_empty is False


def test_the_table_is_open_until_the_script_draws_the_chart_and_folds_it() -> None:
    with translation.override("fr"):
        html = render_to_string(
            "includes/_chart.html", {"chart": _chart()}, request=RequestFactory().get("/")
        )
    assert '<figure class="chart-block" id="graphique-vacance" data-chart="line" data-unit="%"' in html
    assert 'data-label="Graphique : Taux de vacance. Ses chiffres sont dans le tableau qui suit' in html
    assert '<details class="chart-data" open>' in html
    assert "Voir les données" in html
    assert "Pas encore de données" not in html


def test_an_empty_chart_says_so_and_a_chart_without_categories_has_no_table() -> None:
    gaps = Chart("vide", "Vide", "bar", "Mois", [Category("2026-01", "janvier")], [Series("s", [None])])
    nothing = Chart("rien", "Rien", "bar", "Mois", [], [Series("s", [])])
    with translation.override("fr"):
        request = RequestFactory().get("/")
        with_gaps = render_to_string("includes/_chart.html", {"chart": gaps}, request=request)
        without = render_to_string("includes/_chart.html", {"chart": nothing}, request=request)
    assert gaps.is_empty
    assert nothing.is_empty
    assert "Pas encore de données pour cette période." in with_gaps
    assert '<td class="number" data-value="">—</td>' in with_gaps
    assert "Pas encore de données pour cette période." in without
    assert "<table" not in without


def test_the_csv_of_the_asked_chart_is_a_french_spreadsheet() -> None:
    request = RequestFactory().get("/", {"csv": "vacance"})
    response = chart_csv_download(request, [_chart()], prefix="argentan")
    assert response is not None
    assert response["Content-Disposition"] == 'attachment; filename="argentan-vacance.csv"'
    assert response.content.decode() == (
        "\ufeffMois;Centre-ville (%);Rue =cmd (%)\r\n2026-01;12,5;1234\r\n2026-02;;0\r\n"
    )


def test_no_csv_asked_is_the_page_and_an_unknown_one_is_not_found() -> None:
    factory = RequestFactory()
    assert chart_csv_download(factory.get("/"), [_chart()], prefix="p") is None
    response = chart_csv_download(factory.get("/", {"csv": "autre"}), [_chart()], prefix="p")
    assert response is not None
    assert response.status_code == 404


@pytest.mark.parametrize("language", ["fr", "en"])
def test_cells_read_the_separators_once_and_show_what_number_format_shows(language: str) -> None:
    from django.utils import formats

    from centreville.core.charts import _NumberStyle

    with translation.override(language):
        style = _NumberStyle.current()
        for value in (1234567, Decimal("12.5"), 0, -3.25, 1000, Decimal("99.95")):
            for decimals in (0, 1, 2):
                expected = formats.number_format(value, decimals, use_l10n=True, force_grouping=True)
                assert style.cell(value, decimals).shown == expected
