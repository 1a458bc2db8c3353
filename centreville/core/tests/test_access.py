"""Every URL of the project is under an explicit access rule, and the API's operations each declare theirs."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpResponse

from centreville.api.auth import WITHOUT_AUTH
from centreville.api.urls import api
from centreville.core.access import Kind, Rule, access_registry, declare, public, rule_of


def test_every_url_of_the_project_has_a_declared_access_rule() -> None:
    entries = access_registry()

    missing = [f"{entry.key} ({entry.route})" for entry in entries if entry.rule is None]

    assert len(entries) > 300  # the walk went through the admin, allauth, the API and every town page
    assert not missing, "No access rule declared (core.access) for: " + ", ".join(missing)


def test_the_registry_reads_the_rule_each_decorator_records() -> None:
    rules = {entry.key: entry.rule for entry in access_registry()}

    assert rules["towns:settings"] == Rule(Kind.PERMISSION, permission="towns.change_town")
    assert rules["merchants:shop_edit"] == Rule(
        Kind.PERMISSION, permission="shops.add_shop", shop_permission="shops.change_shop"
    )
    assert rules["showcase:home"] == Rule(Kind.PUBLIC)
    assert rules["accounts:home"] == Rule(Kind.SIGNED_IN)
    assert rules["orders_customer:track"] == Rule(Kind.SECRET_LINK)
    assert rules["payments:stripe_webhook"] == Rule(Kind.WEBHOOK)
    assert rules["admin:index"] == Rule(Kind.STAFF)
    assert rules["admin:login"] == Rule(Kind.PUBLIC)
    assert rules["api:basket"] == Rule(Kind.API)


def test_a_view_cannot_declare_two_different_rules() -> None:
    def view(request: Any) -> HttpResponse:
        return HttpResponse()

    public(view)
    with pytest.raises(ValueError, match="two rules"):
        declare(view, Rule(Kind.SIGNED_IN))
    assert rule_of(view) == Rule(Kind.PUBLIC)


@pytest.mark.django_db
def test_every_api_operation_declares_its_auth_or_says_why_it_has_none() -> None:
    schema = api.get_openapi_schema(path_prefix="/api/")
    operations = {
        operation["operationId"]: operation
        for path in schema["paths"].values()
        for operation in path.values()
    }

    without = {name for name, operation in operations.items() if not operation.get("security")}

    assert without == set(WITHOUT_AUTH), (
        "An API operation without auth must be listed in api.auth.WITHOUT_AUTH"
    )
