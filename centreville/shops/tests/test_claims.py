"""Claiming an imported shop, and the town manager's decision, with who may do what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import Client

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.core.pagecache import town_versions
from centreville.shops import claims
from centreville.shops.models import ClaimStatus, Shop, ShopClaim, ShopMembership, ShopSource
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town() -> Town:
    town: Town = TownFactory.create(name="Argentan", slug="argentan")
    return town


@pytest.fixture
def shop(town: Town) -> Shop:
    """A shop imported from OpenStreetMap, published, that nobody runs yet."""
    shop: Shop = ShopFactory.create(
        town=town, name="Cordonnerie Martin", source=ShopSource.OSM, osm_id="node/9"
    )
    return shop


@pytest.fixture
def manager(town: Town) -> User:
    user: User = TownRoleFactory.create(
        town=town, role=Role.MANAGER, user__email="manager@argentan.example.fr"
    ).user
    return user


def claim_url(shop: Shop) -> str:
    return f"/{shop.town.slug}/revendications/commerces/{shop.slug}/"


def manage_url(town: Town) -> str:
    return f"/{town.slug}/revendications/gestion/"


def decide(client: Client, claim: ShopClaim, **data: str) -> Any:
    url = f"{manage_url(claim.shop.town)}{claim.pk}/"
    return client.post(url, {f"claim-{claim.pk}-{key}": value for key, value in data.items()})


def test_the_invitation_shows_only_on_shops_nobody_runs(shop: Shop) -> None:
    invitation = render_to_string("shops/claims/_claim_invitation.html", {"shop": shop})
    assert "Vous tenez ce commerce ?" in invitation
    assert f'href="{claim_url(shop)}"' in invitation
    assert "Revendiquez-le" in invitation

    ShopMembershipFactory.create(shop=shop)

    assert render_to_string("shops/claims/_claim_invitation.html", {"shop": shop}).strip() == ""


def test_an_anonymous_visitor_is_asked_to_sign_in(client: Client, shop: Shop) -> None:
    response = client.get(claim_url(shop))
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/?next=")


def test_a_resident_claims_and_the_managers_are_told(
    client: Client, shop: Shop, manager: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    resident = UserFactory.create(email="martin@example.fr")
    client.force_login(resident)
    assert "Envoyer ma demande" in client.get(claim_url(shop)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(claim_url(shop), {"message": "Je suis le cordonnier, 02 33 00 00 00."})

    assert response.status_code == 302
    claim = ShopClaim.objects.get(shop=shop)
    assert (claim.user, claim.status, claim.message) == (
        resident,
        ClaimStatus.PENDING,
        "Je suis le cordonnier, 02 33 00 00 00.",
    )
    assert [message.to for message in mail.outbox] == [["manager@argentan.example.fr"]]
    assert "martin@example.fr demande à gérer la page de « Cordonnerie Martin »" in mail.outbox[0].body
    page = client.get(claim_url(shop)).content.decode()
    assert "attend la décision de la ville" in page
    client.post(claim_url(shop), {"message": "encore"})
    assert ShopClaim.objects.filter(shop=shop).count() == 1


def test_a_shop_someone_runs_cannot_be_claimed(client: Client, shop: Shop) -> None:
    ShopMembershipFactory.create(shop=shop)
    person = UserFactory.create()
    client.force_login(person)

    assert client.get(claim_url(shop)).status_code == 404
    assert not person.has_perm("shops.claim_shop", shop)
    with pytest.raises(ValidationError, match="déjà un commerçant"):
        claims.claim_create(shop=shop, user=person)


def test_the_manager_approves_one_claim_and_the_others_are_turned_down(
    client: Client, shop: Shop, manager: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    martin = UserFactory.create(email="martin@example.fr")
    other = UserFactory.create(email="autre@example.fr")
    chosen = claims.claim_create(shop=shop, user=martin, message="Je suis le cordonnier.")
    turned_down = claims.claim_create(shop=shop, user=other)
    client.force_login(manager)
    page = client.get(manage_url(shop.town)).content.decode()
    assert "Je suis le cordonnier." in page
    assert "autre@example.fr" in page
    version = town_versions((shop.town_id,))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, chosen, decision="approve")

    assert response.status_code == 302
    assert list(ShopMembership.objects.filter(shop=shop).values_list("user__email", flat=True)) == [
        "martin@example.fr"
    ]
    chosen.refresh_from_db()
    turned_down.refresh_from_db()
    assert (chosen.status, chosen.decided_by) == (ClaimStatus.APPROVED, manager)
    assert turned_down.status == ClaimStatus.REJECTED
    assert "Une autre personne" in turned_down.decision_reason
    sent = {message.to[0]: message for message in mail.outbox}
    assert sent["martin@example.fr"].subject == "Vous gérez désormais « Cordonnerie Martin »"
    assert "a accepté votre demande" in sent["martin@example.fr"].body
    assert "n'a pas accepté votre demande" in sent["autre@example.fr"].body
    assert town_versions((shop.town_id,)) != version  # the public page stops inviting claims
    martin = User.objects.get(pk=martin.pk)
    assert martin.has_perm("shops.change_shop", shop)
    assert "Aucune demande en attente." in client.get(manage_url(shop.town)).content.decode()


def test_a_rejection_needs_a_reason_that_the_claimant_reads(
    client: Client, shop: Shop, manager: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    claim = claims.claim_create(shop=shop, user=UserFactory.create(email="martin@example.fr"))
    client.force_login(manager)
    mail.outbox.clear()

    without_reason = decide(client, claim, decision="reject", reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            client,
            claim,
            decision="reject",
            reason="Nous n'avons pas pu vérifier que vous tenez ce commerce.",
        )

    assert "Indiquez le motif du refus" in without_reason.content.decode()
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (ClaimStatus.REJECTED, manager)
    assert not ShopMembership.objects.filter(shop=shop).exists()
    assert len(mail.outbox) == 1
    assert "Motif : Nous n'avons pas pu vérifier que vous tenez ce commerce." in mail.outbox[0].body
    assert decide(client, claim, decision="approve").status_code == 302
    assert not ShopMembership.objects.filter(shop=shop).exists()  # already decided


@pytest.mark.parametrize("who", ["claimant", "resident", "merchant of another shop", "manager of town B"])
def test_only_the_towns_manager_decides(client: Client, shop: Shop, who: str) -> None:
    claimant = UserFactory.create()
    claim = claims.claim_create(shop=shop, user=claimant)
    if who == "claimant":
        person = claimant
    elif who == "resident":
        person = UserFactory.create()
    elif who == "merchant of another shop":
        person = ShopMembershipFactory.create(shop=ShopFactory.create(town=shop.town)).user
    else:
        person = TownRoleFactory.create(town=TownFactory.create(), role=Role.MANAGER).user
    client.force_login(person)

    assert client.get(manage_url(shop.town)).status_code == 403
    assert decide(client, claim, decision="approve").status_code == 403
    with pytest.raises(PermissionDenied):
        claims.claim_approve(claim=claim, actor=person)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING
    assert not ShopMembership.objects.filter(shop=shop).exists()


def test_a_manager_of_town_b_cannot_reach_town_a_claims_through_town_b(client: Client, shop: Shop) -> None:
    claim = claims.claim_create(shop=shop, user=UserFactory.create())
    town_b = TownFactory.create()
    client.force_login(TownRoleFactory.create(town=town_b, role=Role.MANAGER).user)

    response = client.post(f"{manage_url(town_b)}{claim.pk}/", {f"claim-{claim.pk}-decision": "approve"})

    assert response.status_code == 404
    assert "Cordonnerie Martin" not in client.get(manage_url(town_b)).content.decode()


def test_the_platform_admin_may_decide(client: Client, shop: Shop) -> None:
    claim = claims.claim_create(shop=shop, user=UserFactory.create())
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))

    decide(client, claim, decision="approve")

    assert ShopMembership.objects.filter(shop=shop, user=claim.user).exists()


def test_a_merchant_of_another_shop_may_claim_this_one(client: Client, shop: Shop) -> None:
    merchant = ShopMembershipFactory.create(shop=ShopFactory.create(town=shop.town)).user
    client.force_login(merchant)

    client.post(claim_url(shop), {"message": ""})

    assert ShopClaim.objects.filter(shop=shop, user=merchant, status=ClaimStatus.PENDING).exists()


def test_pending_claims_are_those_of_the_town_only(shop: Shop) -> None:
    mine = claims.claim_create(shop=shop, user=UserFactory.create())
    elsewhere = ShopFactory.create(town=TownFactory.create())
    claims.claim_create(shop=elsewhere, user=UserFactory.create())

    assert list(claims.pending_claims(shop.town)) == [mine]
    assert claims.claim_for_decision(shop.town, mine.pk) == mine
    assert claims.claim_for_decision(elsewhere.town, mine.pk) is None


@pytest.mark.django_db
def test_the_public_page_of_an_unclaimed_shop_invites_its_merchant(client: Client) -> None:
    unclaimed = ShopFactory.create()
    claimed = ShopMembershipFactory.create().shop

    assert (
        "Vous tenez ce commerce ?"
        in client.get(f"/{unclaimed.town.slug}/commerces/{unclaimed.slug}/").content.decode()
    )
    assert (
        "Vous tenez ce commerce ?"
        not in client.get(f"/{claimed.town.slug}/commerces/{claimed.slug}/").content.decode()
    )
