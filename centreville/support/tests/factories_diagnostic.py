"""Builders of self-diagnostic content and answered diagnostics, small enough to compute scores by hand."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from centreville.accounts.models import User
from centreville.shops.models import Shop
from centreville.support import services_diagnostic
from centreville.support.diagnostic import version_areas
from centreville.support.models import (
    Area,
    Choice,
    Diagnostic,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    RecommendationSheet,
    ShopSignals,
)
from centreville.towns.models import Town

# area code → list of questions, each (allow "not concerned", points of its choices)
Spec = dict[str, list[tuple[bool, list[int]]]]


def questionnaire_version(
    spec: Spec, *, town: Town | None = None, at: datetime, published: bool = True, title: str = "Test"
) -> QuestionnaireVersion:
    """A questionnaire (the town's, or the platform's when `town` is None) with one version as `spec` says;
    each area gets one sheet. Choices are labelled by their points ("2 pts")."""
    questionnaire = (
        Questionnaire.objects.filter(town=town).first() if town else None
    ) or Questionnaire.objects.create(town=town, title=title)
    last = questionnaire.versions.exclude(number=None).order_by("-number").first()
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=((last.number or 0) + 1 if last else 1) if published else None,
        published_at=at if published else None,
    )
    for area_order, (code, questions) in enumerate(spec.items(), start=1):
        area = Area.objects.create(version=version, code=code, title=f"Domaine {code}", order=area_order)
        for order, (not_concerned, points) in enumerate(questions, start=1):
            question = Question.objects.create(
                area=area, text=f"Question {code} {order}", order=order, allow_not_concerned=not_concerned
            )
            for choice_order, value in enumerate(points, start=1):
                Choice.objects.create(
                    question=question, label=f"{value} pts", points=value, order=choice_order
                )
        RecommendationSheet.objects.create(
            area=area, title=f"Fiche {code}", body="Première étape.\nDeuxième étape.", feature="photos"
        )
    return version


def answers_by_points(
    version: QuestionnaireVersion, chosen: dict[str, list[int | None]]
) -> dict[int, int | None]:
    """Answers choosing, in each area's questions in order, the choice worth the given points (None: not
    concerned)."""
    answers: dict[int, int | None] = {}
    for area in version_areas(version):
        for question, points in zip(area.questions.all(), chosen[area.code], strict=True):
            if points is None:
                answers[question.pk] = None
            else:
                answers[question.pk] = next(c.pk for c in question.choices.all() if c.points == points)
    return answers


def completed_diagnostic(
    *,
    shop: Shop,
    user: User,
    version: QuestionnaireVersion | None = None,
    chosen: dict[str, list[int | None]] | None = None,
    started: datetime,
    completed: datetime,
) -> Diagnostic:
    """A diagnostic of the town's current version (or `version`), answered through the services."""
    diagnostic = services_diagnostic.diagnostic_start(shop=shop, user=user, with_adviser=False, at=started)
    if version is not None and diagnostic.version_id != version.pk:
        Diagnostic.objects.filter(pk=diagnostic.pk).update(version=version)
        diagnostic.refresh_from_db()
    if chosen is None:  # the best answer everywhere
        answers: dict[int, int | None] = {
            question.pk: max(question.choices.all(), key=lambda c: c.points).pk
            for area in version_areas(diagnostic.version)
            for question in area.questions.all()
        }
    else:
        answers = answers_by_points(diagnostic.version, chosen)
    services_diagnostic.diagnostic_answer(diagnostic=diagnostic, answers=answers)
    return services_diagnostic.diagnostic_complete(diagnostic=diagnostic, at=completed)


def signals_for(shop: Shop, *, at: datetime, **values: Any) -> ShopSignals:
    fields = {"has_photo": True, "has_opening_hours": True, "products": 10, "stale_products": 0,
              "unanswered_orders": 0, **values}  # fmt: skip
    signals, _created = ShopSignals.objects.update_or_create(
        shop=shop, defaults={"town_id": shop.town_id, "computed_at": at, **fields}
    )
    return signals
