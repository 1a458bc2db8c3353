"""Who may call what: browser sessions with CSRF on writes, personal tokens, and nothing else."""

from __future__ import annotations

import pytest
from django.utils import timezone

from centreville.api.models import ApiToken
from centreville.api.services import hash_key

from .conftest import App, Browser, Scene, new_key, stranger

pytestmark = pytest.mark.django_db

CSRF_REFUSAL = "Jeton CSRF absent ou invalide : renvoyez le cookie csrftoken dans l'en-tête X-CSRFToken."


def test_a_session_write_without_the_csrf_token_is_refused_in_french(scene: Scene) -> None:
    lines = f"/api/villes/{scene.town.slug}/panier/lignes"

    refused_guest = Browser().post(lines, {"product_id": scene.bread.pk}, csrf=False)
    refused_member = Browser(scene.baker).post("/api/jetons", {"name": "Caisse"}, csrf=False)
    accepted = Browser().post(lines, {"product_id": scene.bread.pk})

    for refused in (refused_guest, refused_member):
        assert refused.status_code == 403
        assert refused.json() == {"detail": CSRF_REFUSAL, "errors": {}}
    assert accepted.status_code == 201
    assert not ApiToken.objects.exists()


def test_a_token_is_shown_once_kept_hashed_and_listed_without_its_key(scene: Scene) -> None:
    browser = Browser(scene.baker)

    created = browser.post("/api/jetons", {"name": "Téléphone"}).json()
    listed = browser.get("/api/jetons").json()

    stored = ApiToken.objects.get()
    assert created["key"].startswith("cv_")
    assert stored.key_hash == hash_key(created["key"])
    assert created["key"] not in str(ApiToken.objects.values_list())
    assert listed == [
        {
            "id": stored.pk,
            "name": "Téléphone",
            "prefix": created["key"][:10],
            "created_at": listed[0]["created_at"],
            "last_used_at": None,
            "expires_at": listed[0]["expires_at"],
            "revoked": False,
        }
    ]


def test_a_token_acts_for_its_user_until_it_is_revoked(scene: Scene) -> None:
    key = new_key(scene.baker)
    app = App(key)
    orders = f"/api/villes/{scene.town.slug}/commerces/boulangerie/commandes"
    assert app.get(orders).status_code == 200
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    assert token.last_used_at <= timezone.now()

    revoked = Browser(scene.baker).send("DELETE", f"/api/jetons/{token.pk}")

    assert revoked.status_code == 204
    refused = app.get(orders)
    assert refused.status_code == 401
    assert refused.json()["detail"] == "Ce jeton d'API n'est pas valable (inconnu, révoqué ou expiré)."
    assert refused["WWW-Authenticate"] == "Bearer"
    assert App("cv_pas-un-vrai-jeton").get(orders).status_code == 401
    # A revoked token is a 401 on writes too, not a CSRF failure.
    assert (
        App(key).post("/api/commandes/par-reference/C-XXXX/etapes", {"to_status": "accepted"}).status_code
        == 401
    )


def test_nobody_revokes_or_sees_the_tokens_of_someone_else(scene: Scene) -> None:
    new_key(scene.baker)
    token = ApiToken.objects.get()

    other = Browser(scene.florist_owner)

    assert other.get("/api/jetons").json() == []
    assert other.send("DELETE", f"/api/jetons/{token.pk}").status_code == 404
    assert ApiToken.objects.get().revoked is False


def test_without_a_session_or_token_only_the_basket_checkout_and_tracking_answer(scene: Scene) -> None:
    guest = Browser()

    assert guest.get(f"/api/villes/{scene.town.slug}/panier").status_code == 200
    for path in ("/api/jetons", f"/api/villes/{scene.town.slug}/commerces/boulangerie/commandes"):
        response = guest.get(path)
        assert response.status_code == 401
        assert response.json()["detail"].startswith("Identifiez-vous")
    assert guest.post("/api/jetons", {"name": "x"}).status_code == 401
    assert guest.post("/api/commandes/par-reference/C-X/etapes", {"to_status": "accepted"}).status_code == 401


def test_tokens_are_made_from_a_browser_session_only(scene: Scene) -> None:
    app = App(new_key(scene.baker))

    response = app.client.post(
        "/api/jetons", '{"name": "Encore"}', content_type="application/json", headers=app.headers
    )

    assert response.status_code in (401, 403)
    assert ApiToken.objects.count() == 1


def test_an_inactive_account_s_token_stops_working(scene: Scene) -> None:
    app = App(new_key(scene.baker))
    scene.baker.is_active = False
    scene.baker.save()

    assert app.get(f"/api/villes/{scene.town.slug}/commerces/boulangerie/commandes").status_code == 401


def test_a_token_s_name_is_required(scene: Scene) -> None:
    response = Browser(stranger()).post("/api/jetons", {"name": ""})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Certaines données sont invalides : corrigez les champs indiqués.",
        "errors": {"name": ["Ce champ ne peut pas être vide."]},
    }
