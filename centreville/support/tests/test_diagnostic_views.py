"""The self-diagnostic's pages: a merchant takes it step by step and resumes it, sees the result; who may
reach which shop's diagnostic; French errors; an adviser takes it with a merchant."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.support.diagnostic import version_areas
from centreville.support.models import Diagnostic
from centreville.towns.tests.factories import TownFactory

from .factories_diagnostic import completed_diagnostic, questionnaire_version

pytestmark = pytest.mark.django_db

AT = datetime(2026, 9, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
SPEC = {"a": [(False, [0, 1, 2]), (True, [0, 2])], "b": [(False, [0, 2])]}


@pytest.fixture
def world() -> dict[str, Any]:
    town = TownFactory.create()
    version = questionnaire_version(SPEC, town=town, at=AT)
    shop = ShopFactory.create(town=town)
    merchant = ShopMembershipFactory.create(shop=shop).user
    client = Client()
    client.force_login(merchant)
    return {"town": town, "version": version, "shop": shop, "merchant": merchant, "client": client}


def _url(name: str, shop: Shop, *args: Any) -> str:
    return reverse(f"support_merchant:{name}", args=[shop.town.slug, shop.slug, *args])


def _choice(version: Any, area: int, question: int, points: int | None) -> tuple[str, str]:
    q = version_areas(version)[area].questions.all()[question]
    value = "nc" if points is None else str(next(c.pk for c in q.choices.all() if c.points == points))
    return f"q{q.pk}", value


def test_a_merchant_takes_the_diagnostic_step_by_step_and_sees_the_result(world: dict[str, Any]) -> None:
    client, shop, version = world["client"], world["shop"], world["version"]
    # given the shop's page
    page = client.get(_url("diagnostic_shop", shop))
    assert page.status_code == 200
    assert "Commencer le diagnostic" in page.content.decode()
    # when they start: step 1 of 2
    response = client.post(_url("diagnostic_start", shop))
    taken = Diagnostic.objects.get(shop=shop)
    assert response["Location"] == _url("diagnostic_step", shop, taken.pk, 1)
    step = client.get(response["Location"])
    assert "Étape 1 sur 2" in step.content.decode()
    # when they answer step 1 (one not concerned) and step 2
    response = client.post(
        _url("diagnostic_step", shop, taken.pk, 1),
        dict([_choice(version, 0, 0, 1), _choice(version, 0, 1, None)]),
    )
    assert response["Location"] == _url("diagnostic_step", shop, taken.pk, 2)
    response = client.post(_url("diagnostic_step", shop, taken.pk, 2), dict([_choice(version, 1, 0, 0)]))
    # then the result: a = 1/2 = 50, b = 0 → 25, b weak with its sheet linked to the shop's photos
    assert response["Location"] == _url("diagnostic_result", shop, taken.pk)
    taken.refresh_from_db()
    assert taken.score == 25
    assert taken.completed_at is not None
    assert not taken.with_adviser
    result = client.get(response["Location"]).content.decode()
    assert "25/100" in result
    assert "Fiche b" in result
    assert "Fiche a" not in result
    assert reverse("merchants:shop_photos", args=[shop.town.slug, shop.slug]) in result
    assert "pas encore assez de diagnostics" in result


def test_a_step_without_answers_says_so_in_french_and_saves_nothing(world: dict[str, Any]) -> None:
    client, shop = world["client"], world["shop"]
    client.post(_url("diagnostic_start", shop))
    taken = Diagnostic.objects.get(shop=shop)
    response = client.post(_url("diagnostic_step", shop, taken.pk, 1), {"action": "next"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Choisissez une réponse." in body
    assert "2 questions n&#x27;ont pas de réponse" in body or "2 questions n'ont pas de réponse" in body
    taken.refresh_from_db()
    assert taken.answers == {}


def test_progress_is_saved_and_the_merchant_resumes_where_they_left(world: dict[str, Any]) -> None:
    client, shop, version = world["client"], world["shop"], world["version"]
    client.post(_url("diagnostic_start", shop))
    taken = Diagnostic.objects.get(shop=shop)
    client.post(
        _url("diagnostic_step", shop, taken.pk, 1),
        dict([_choice(version, 0, 0, 2), _choice(version, 0, 1, 2)]),
    )
    # leaving step 2 for later with nothing answered
    response = client.post(_url("diagnostic_step", shop, taken.pk, 2), {"action": "later"})
    assert response["Location"] == _url("diagnostic_shop", shop)
    assert "Reprendre le diagnostic" in client.get(_url("diagnostic_shop", shop)).content.decode()
    # starting again resumes the same diagnostic at step 2
    response = client.post(_url("diagnostic_start", shop))
    assert response["Location"] == _url("diagnostic_step", shop, taken.pk, 2)
    assert Diagnostic.objects.filter(shop=shop).count() == 1
    # going back keeps the answers given
    back = client.post(
        _url("diagnostic_step", shop, taken.pk, 2), {"action": "back", **dict([_choice(version, 1, 0, 2)])}
    )
    assert back["Location"] == _url("diagnostic_step", shop, taken.pk, 1)
    taken.refresh_from_db()
    assert len(taken.answers) == 3
    # the first step shows the saved answers checked
    page = client.get(_url("diagnostic_step", shop, taken.pk, 1)).content.decode()
    assert page.count("checked") == 2


def test_a_merchant_cannot_open_another_shops_diagnostic(world: dict[str, Any]) -> None:
    client, town = world["client"], world["town"]
    other = ShopFactory.create(town=town)
    theirs = completed_diagnostic(shop=other, user=UserFactory.create(), started=AT, completed=AT)
    assert client.get(_url("diagnostic_shop", other)).status_code == 403
    assert client.get(_url("diagnostic_result", other, theirs.pk)).status_code == 403
    assert client.post(_url("diagnostic_start", other)).status_code == 403
    # nor reach it through their own shop's address
    assert client.get(_url("diagnostic_result", world["shop"], theirs.pk)).status_code == 404
    assert client.get(_url("diagnostic_step", world["shop"], theirs.pk, 1)).status_code == 404


def test_a_merchant_with_one_shop_goes_straight_to_it_one_with_several_chooses(world: dict[str, Any]) -> None:
    client, shop = world["client"], world["shop"]
    home = reverse("support_merchant:diagnostic_home", args=[shop.town.slug])
    assert client.get(home)["Location"] == _url("diagnostic_shop", shop)
    second = ShopFactory.create(town=shop.town, name="Fromagerie du Marché")
    ShopMembershipFactory.create(shop=second, user=world["merchant"])
    page = client.get(home)
    assert page.status_code == 200
    assert "Fromagerie du Marché" in page.content.decode()


def test_an_adviser_takes_the_diagnostic_with_a_merchant(world: dict[str, Any]) -> None:
    shop = world["shop"]
    adviser = TownRoleFactory.create(town=world["town"], role=Role.ADVISER).user
    client = Client()
    client.force_login(adviser)
    home = reverse("support_merchant:diagnostic_home", args=[shop.town.slug])
    assert client.get(home, {"commerce": shop.slug})["Location"] == _url("diagnostic_shop", shop)
    chosen_nothing = client.get(home, {"commerce": ""})
    assert chosen_nothing.status_code == 422
    assert "Choisissez un commerce." in chosen_nothing.content.decode()
    client.post(_url("diagnostic_start", shop))
    taken = Diagnostic.objects.get(shop=shop)
    assert taken.with_adviser
    assert taken.taken_by == adviser


def test_the_result_shows_progress_since_the_previous_diagnostic(world: dict[str, Any]) -> None:
    shop, merchant = world["shop"], world["merchant"]
    first = completed_diagnostic(
        shop=shop, user=merchant, chosen={"a": [0, 0], "b": [0]}, started=AT, completed=AT
    )
    later = AT + timedelta(days=90)
    second = completed_diagnostic(
        shop=shop, user=merchant, chosen={"a": [2, 2], "b": [0]}, started=later, completed=later
    )
    assert (first.score, second.score) == (0, 50)
    page = world["client"].get(_url("diagnostic_result", shop, second.pk)).content.decode()
    assert "+50 points depuis le diagnostic précédent" in page  # overall
    assert "+100 points depuis le diagnostic précédent" in page  # area a
    assert "comme au diagnostic précédent" in page  # area b
    assert page.count(_url("diagnostic_result", shop, first.pk)) == 1  # in the history
