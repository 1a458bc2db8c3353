"""Editing questionnaires: a town adapts the platform's, edits a draft and publishes it; a published version
never changes, so a past result keeps its answers, scores and sheets. The town team's pages, their French
errors, and who may edit the platform's questionnaire."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.support import diagnostic, services_diagnostic
from centreville.support.models import Area, Question, QuestionnaireVersion, RecommendationSheet
from centreville.towns.tests.factories import TownFactory

from .factories_diagnostic import completed_diagnostic, questionnaire_version

pytestmark = pytest.mark.django_db

AT = datetime(2026, 9, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def test_editing_and_publishing_never_changes_a_completed_diagnostic() -> None:
    # given a shop's completed diagnostic with the town's version 1
    town = TownFactory.create()
    v1 = questionnaire_version({"a": [(False, [0, 1, 2])], "b": [(False, [0, 2])]}, town=town, at=AT)
    shop = ShopFactory.create(town=town)
    merchant = ShopMembershipFactory.create(shop=shop).user
    done = completed_diagnostic(
        shop=shop, user=merchant, chosen={"a": [1], "b": [0]}, started=AT, completed=AT
    )
    before = (done.score, done.area_scores, done.answers)
    client = Client()
    client.force_login(merchant)
    result_url = reverse("support_merchant:diagnostic_result", args=[town.slug, shop.slug, done.pk])
    page_before = client.get(result_url).content.decode()
    assert "Fiche b" in page_before
    # when the town edits a draft: points, a sheet, removes an area, and publishes it
    draft = services_diagnostic.version_draft(questionnaire=v1.questionnaire)
    area_a, area_b = diagnostic.version_areas(draft)
    question = area_a.questions.all()[0]
    services_diagnostic.question_save(
        area=area_a, question=question, text="Nouvelle question", help_text="", order=1,
        allow_not_concerned=True, choices=[("Non", 0), ("Oui", 10)],
    )  # fmt: skip
    sheet = area_b.sheets.all()[0]
    services_diagnostic.sheet_save(
        area=area_b, sheet=sheet, title="Fiche réécrite", body="Autre.", feature="", order=1
    )
    v2 = services_diagnostic.version_publish(
        version=draft, user=UserFactory.create(), at=AT + timedelta(days=1)
    )
    # then version 1 and the diagnostic are as they were, and its page shows the same sheets
    assert (v2.number, v1.number) == (2, 1)
    done.refresh_from_db()
    assert (done.score, done.area_scores, done.answers) == before
    assert done.version_id == v1.pk
    assert [q.text for a in diagnostic.version_areas(v1) for q in a.questions.all()] == [
        "Question a 1",
        "Question b 1",
    ]
    page_after = client.get(result_url).content.decode()
    assert "Fiche b" in page_after
    assert "Fiche réécrite" not in page_after
    # and the next diagnostic uses version 2
    assert diagnostic.current_version(town) == v2


def test_a_published_version_refuses_every_change() -> None:
    town = TownFactory.create()
    version = questionnaire_version({"a": [(False, [0, 2])]}, town=town, at=AT)
    area = version.areas.get()
    with pytest.raises(ValidationError, match="publiée"):
        services_diagnostic.area_save(version=version, area=area, title="x", intro="", order=1)
    with pytest.raises(ValidationError, match="publiée"):
        services_diagnostic.content_delete(item=area.questions.get())
    with pytest.raises(ValidationError, match="publiée"):
        services_diagnostic.sheet_save(area=area, sheet=None, title="x", body="y", feature="", order=1)


def test_a_draft_with_an_empty_area_is_not_published() -> None:
    town = TownFactory.create()
    version = questionnaire_version({"a": [(False, [0, 2])]}, town=town, at=AT)
    draft = services_diagnostic.version_draft(questionnaire=version.questionnaire)
    services_diagnostic.area_save(version=draft, area=None, title="Nouveau domaine", intro="", order=2)
    with pytest.raises(ValidationError) as error:
        services_diagnostic.version_publish(version=draft, user=UserFactory.create(), at=AT)
    assert "Le domaine « Nouveau domaine » n'a aucune question." in error.value.messages


@pytest.fixture
def team() -> dict[str, Any]:
    town = TownFactory.create()
    services_diagnostic.platform_questionnaire_ensure(at=AT)
    manager = TownRoleFactory.create(town=town, role=Role.MANAGER).user
    client = Client()
    client.force_login(manager)
    return {"town": town, "client": client}


def _manage(name: str, town: Any, *args: Any) -> str:
    return reverse(f"support_manage:{name}", args=[town.slug, *args])


def test_the_town_adapts_the_platform_questionnaire_and_publishes_its_own(team: dict[str, Any]) -> None:
    client, town = team["client"], team["town"]
    assert client.get(_manage("diagnostic_content", town)).status_code == 200
    response = client.post(_manage("diagnostic_adapt", town))
    draft = QuestionnaireVersion.objects.get(questionnaire__town=town)
    assert response["Location"] == _manage("diagnostic_version", town, draft.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Publier cette version" in page
    assert "Visibilité sur les moteurs de recherche" in page
    # the platform's cannot be edited by the town's manager
    platform = diagnostic.platform_questionnaire()
    assert platform is not None
    assert client.post(_manage("diagnostic_draft", town, platform.pk)).status_code == 403
    # add a question with its answers
    area = draft.areas.order_by("order").first()
    assert area is not None
    url = _manage("diagnostic_question", town, draft.pk, area.pk, 0)
    data = {"text": "Avez-vous une vitrine éclairée le soir ?", "help": "", "order": 5,
            "choix-TOTAL_FORMS": 2, "choix-INITIAL_FORMS": 0, "choix-0-label": "Non", "choix-0-points": 0,
            "choix-1-label": "Oui", "choix-1-points": 2}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert Question.objects.filter(area=area, text__startswith="Avez-vous une vitrine").exists()
    response = client.post(_manage("diagnostic_publish", town, draft.pk))
    assert response.status_code == 302
    assert diagnostic.current_version(town).pk == draft.pk  # type: ignore[union-attr]


def test_the_editor_explains_wrong_answers_in_french(team: dict[str, Any]) -> None:
    client, town = team["client"], team["town"]
    client.post(_manage("diagnostic_adapt", town))
    draft = QuestionnaireVersion.objects.get(questionnaire__town=town)
    area = draft.areas.order_by("order").first()
    assert area is not None
    url = _manage("diagnostic_question", town, draft.pk, area.pk, 0)
    data = {
        "text": "",
        "order": 1,
        "choix-TOTAL_FORMS": 2,
        "choix-INITIAL_FORMS": 0,
        "choix-0-label": "Oui",
        "choix-0-points": "",
        "choix-1-label": "",
        "choix-1-points": "",
    }
    response = client.post(url, data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Ce champ est obligatoire." in body
    assert "Indiquez les points de cette réponse." in body
    data.update(
        {"text": "Une question", "choix-0-points": "0", "choix-1-label": "Non", "choix-1-points": "0"}
    )
    body = client.post(url, data).content.decode()
    assert "Une réponse au moins doit rapporter des points." in body
    sheet_url = _manage("diagnostic_sheet", town, draft.pk, area.pk, 0)
    response = client.post(sheet_url, {"title": "", "body": "", "feature": "inconnue", "order": 1})
    assert response.status_code == 422
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not RecommendationSheet.objects.filter(area=area, title="").exists()


def test_a_published_version_has_no_edit_page(team: dict[str, Any]) -> None:
    client, town = team["client"], team["town"]
    version = diagnostic.current_version(town)
    assert version is not None
    area = Area.objects.filter(version=version).first()
    assert area is not None
    page = client.get(_manage("diagnostic_version", town, version.pk)).content.decode()
    assert "Publier cette version" not in page
    assert "Modifier la question" not in page
    assert client.get(_manage("diagnostic_area", town, version.pk, area.pk)).status_code == 404


def test_a_platform_admin_edits_the_platform_questionnaire(team: dict[str, Any]) -> None:
    town = team["town"]
    admin = UserFactory.create(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    platform = diagnostic.platform_questionnaire()
    assert platform is not None
    response = client.post(_manage("diagnostic_draft", town, platform.pk))
    assert response.status_code == 302
    assert QuestionnaireVersion.objects.filter(questionnaire=platform, published_at__isnull=True).exists()


def test_a_merchant_cannot_edit_questionnaires(team: dict[str, Any]) -> None:
    town = team["town"]
    merchant = ShopMembershipFactory.create(shop=ShopFactory.create(town=town)).user
    client = Client()
    client.force_login(merchant)
    assert client.get(_manage("diagnostic_content", town)).status_code == 403
    assert client.post(_manage("diagnostic_adapt", town)).status_code == 403


def test_the_team_adds_and_removes_areas_sheets_and_questions_then_discards_the_draft(
    team: dict[str, Any],
) -> None:
    client, town = team["client"], team["town"]
    client.post(_manage("diagnostic_adapt", town))
    draft = QuestionnaireVersion.objects.get(questionnaire__town=town)
    # a new area, its sheet, then an existing area's title
    response = client.post(
        _manage("diagnostic_area", town, draft.pk, 0),
        {"new-title": "Vitrine", "new-intro": "", "new-order": 8},
    )
    assert response.status_code == 302
    area = Area.objects.get(version=draft, title="Vitrine")
    assert area.code == "vitrine"
    sheet_data = {
        "title": "Éclairez la vitrine",
        "body": "Une minuterie.\nDes LED.",
        "feature": "poster",
        "order": 1,
    }
    assert client.post(_manage("diagnostic_sheet", town, draft.pk, area.pk, 0), sheet_data).status_code == 302
    sheet = RecommendationSheet.objects.get(area=area)
    first = draft.areas.order_by("order").first()
    assert first is not None
    assert client.get(_manage("diagnostic_area", town, draft.pk, first.pk)).status_code == 200
    response = client.post(
        _manage("diagnostic_area", town, draft.pk, first.pk),
        {"title": "Être trouvé", "intro": "", "order": 1},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.title, first.code) == ("Être trouvé", "visibilite")
    # removals
    question = Question.objects.filter(area=first).first()
    assert question is not None
    client.post(_manage("diagnostic_remove", town, draft.pk, "question", question.pk))
    client.post(_manage("diagnostic_remove", town, draft.pk, "fiche", sheet.pk))
    client.post(_manage("diagnostic_remove", town, draft.pk, "domaine", area.pk))
    assert not Question.objects.filter(pk=question.pk).exists()
    assert not Area.objects.filter(pk=area.pk).exists()
    assert client.post(_manage("diagnostic_remove", town, draft.pk, "autre", first.pk)).status_code == 404
    # the platform's version stays whole, and the draft goes
    platform = diagnostic.latest_published(diagnostic.platform_questionnaire())
    assert platform is not None
    assert sum(len(a.questions.all()) for a in diagnostic.version_areas(platform)) == 28
    assert client.post(_manage("diagnostic_discard", town, draft.pk)).status_code == 302
    assert not QuestionnaireVersion.objects.filter(pk=draft.pk).exists()
