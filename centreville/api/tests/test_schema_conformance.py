"""What the schema fuzzer found, kept fixed: numbers documented as numbers, every 400 documented."""

from __future__ import annotations

import pytest

from centreville.api.urls import api

from .conftest import Browser, Scene

pytestmark = pytest.mark.django_db


def _schema() -> dict:
    return api.get_openapi_schema(path_prefix="/api/")


def test_the_quote_documents_its_amount_and_position_as_numbers_not_any_string() -> None:
    parameters = _schema()["paths"]["/api/villes/{town}/livraison/devis"]["get"]["parameters"]
    by_name = {parameter["name"]: parameter["schema"] for parameter in parameters}

    assert by_name["montant"]["type"] == "number"
    assert by_name["montant"]["minimum"] == 0
    assert by_name["longitude"]["anyOf"] == [{"type": "number"}, {"type": "null"}]


def test_a_checkout_position_is_documented_as_a_number() -> None:
    latitude = _schema()["components"]["schemas"]["ChoiceIn"]["properties"]["latitude"]

    assert latitude["anyOf"] == [{"type": "number"}, {"type": "null"}]


def test_a_position_that_is_no_number_is_still_a_400(scene: Scene, visitor: Browser) -> None:
    response = visitor.get("/api/villes/argentan-test/livraison/devis", code_postal="61200", longitude="")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["longitude"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("delete", "/api/villes/{town}/panier/lignes/{line_id}"), ("delete", "/api/jetons/{token_id}")],
)
def test_an_id_that_is_no_number_is_a_documented_400(method: str, path: str) -> None:
    assert 400 in _schema()["paths"][path][method]["responses"]


def test_removing_a_line_named_by_no_number_is_a_400(scene: Scene, visitor: Browser) -> None:
    response = visitor.send("DELETE", "/api/villes/argentan-test/panier/lignes/AAA")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["line_id"]
