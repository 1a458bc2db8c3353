"""The OpenAPI schema and its documentation page, served by the site itself."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_schema_is_json_with_every_path_in_french() -> None:
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/villes/{town}/panier",
        "/api/villes/{town}/panier/lignes",
        "/api/villes/{town}/panier/lignes/{line_id}",
        "/api/villes/{town}/panier/options",
        "/api/villes/{town}/livraison/devis",
        "/api/villes/{town}/commande",
        "/api/commandes/{token}",
        "/api/commandes/{token}/annulation",
        "/api/villes/{town}/commerces/{shop}/commandes",
        "/api/commandes/par-reference/{reference}/etapes",
        "/api/jetons",
        "/api/jetons/{token_id}",
    }
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert {tag for op in operations for tag in op["tags"]} == {
        "Panier",
        "Commande",
        "Suivi de commande",
        "Commerçants",
        "Jetons d'API",
    }
    assert schema["paths"]["/api/villes/{town}/commande"]["post"]["summary"] == "Commander le panier"
    assert set(schema["components"]["securitySchemes"]) == {"AnySession", "SignedInSession", "PersonalToken"}
    assert "ErrorOut" in schema["components"]["schemas"]


def test_the_docs_page_loads_swagger_from_this_site_only() -> None:
    client = Client()

    page = client.get("/api/docs")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in html
    assert "cdn" not in html
    assert "https://" not in html
    assert "<script>" not in html  # nothing inline: the CSP runs scripts from files only
    assert "default-src 'self'" in page["Content-Security-Policy"]
    for asset in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        assert finders.find(f"ninja/{asset}") is not None  # collected with the site's own static files
