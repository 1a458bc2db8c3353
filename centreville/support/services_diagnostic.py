"""Writes of the self-diagnostic: a merchant starts, answers step by step and completes a diagnostic; the town
team (or the platform) copies, edits and publishes questionnaire versions.

One transaction each. Locks, always in this order: the shop, then a diagnostic; the questionnaire, then a
version. A published version is never written again (`_draft`), which is what keeps past results.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.shops.models import Shop
from centreville.towns.models import Town

from . import diagnostic_content
from .diagnostic import (
    current_version,
    latest_published,
    platform_questionnaire,
    score_areas,
    signals_snapshot,
)
from .diagnostic import version_areas as _version_areas
from .models import (
    Area,
    Choice,
    Diagnostic,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    RecommendationSheet,
    ShopSignals,
)

CONTENT_MODELS = {
    "Questionnaire": Questionnaire,
    "QuestionnaireVersion": QuestionnaireVersion,
    "Area": Area,
    "Question": Question,
    "Choice": Choice,
    "RecommendationSheet": RecommendationSheet,
}


def platform_questionnaire_ensure(*, at: datetime) -> QuestionnaireVersion:
    """The platform's latest published version, written from `diagnostic_content` if the platform has none
    (the data migration writes it; a database emptied since gets it back)."""
    with transaction.atomic():
        version = latest_published(platform_questionnaire())
        if version is None:
            version = diagnostic_content.questionnaire_write_default(models=CONTENT_MODELS, at=at)
        return version


# --- Taking a diagnostic ----------------------------------------------------------------------------------


@transaction.atomic
def diagnostic_start(*, shop: Shop, user: User, with_adviser: bool, at: datetime) -> Diagnostic:
    """The shop's diagnostic in progress (to resume it), or a new one with the questionnaire its town's
    merchants answer now."""
    Shop.objects.select_for_update().get(pk=shop.pk)
    existing = Diagnostic.objects.filter(shop=shop, completed_at__isnull=True).first()
    if existing is not None:
        if with_adviser and not existing.with_adviser:
            existing.with_adviser = True
            existing.save(update_fields=["with_adviser", "updated_at"])
        return existing
    version = current_version(shop.town)
    if version is None:
        raise ValidationError(_("Aucun questionnaire n'est publié pour l'instant : revenez plus tard."))
    return Diagnostic.objects.create(
        town_id=shop.town_id,
        shop=shop,
        version=version,
        taken_by=user,
        with_adviser=with_adviser,
        started_at=at,
    )


def _locked_open(diagnostic: Diagnostic) -> Diagnostic:
    locked = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
    if locked.completed_at is not None:
        raise ValidationError(_("Ce diagnostic est terminé : ses réponses ne changent plus."))
    return locked


@transaction.atomic
def diagnostic_answer(*, diagnostic: Diagnostic, answers: dict[int, int | None]) -> Diagnostic:
    """Record answers ({question id: choice id, or None for "not concerned"}) to questions of the diagnostic's
    version, keeping the others already saved."""
    locked = _locked_open(diagnostic)
    questions = {
        question.pk: question
        for question in Question.objects.filter(
            area__version_id=locked.version_id, pk__in=list(answers)
        ).prefetch_related("choices")
    }
    for question_id, choice_id in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise ValidationError(_("Cette question ne fait pas partie du questionnaire."))
        if choice_id is None:
            if not question.allow_not_concerned:
                raise ValidationError(
                    _("Choisissez une réponse à « %(question)s ».") % {"question": question.text}
                )
        elif choice_id not in {choice.pk for choice in question.choices.all()}:
            raise ValidationError(_("Cette réponse ne correspond pas à la question « %(question)s ».")
                                  % {"question": question.text})  # fmt: skip
        locked.answers[str(question_id)] = choice_id
    locked.save(update_fields=["answers", "updated_at"])
    diagnostic.answers = locked.answers
    return locked


@transaction.atomic
def diagnostic_complete(*, diagnostic: Diagnostic, at: datetime) -> Diagnostic:
    """Close the diagnostic once every question is answered: store its scores and the platform's signals of
    this moment, so its result never changes."""
    locked = _locked_open(diagnostic)
    areas = _version_areas(locked.version)
    missing = [q for area in areas for q in area.questions.all() if str(q.pk) not in locked.answers]
    if missing:
        raise ValidationError(
            _("Il reste %(count)s question(s) sans réponse, par exemple « %(question)s ».")
            % {"count": len(missing), "question": missing[0].text}
        )
    signals = signals_snapshot(ShopSignals.objects.filter(shop_id=locked.shop_id).first())
    score, area_scores = score_areas(areas=areas, answers=locked.answers, signals=signals)
    locked.signals = signals
    locked.score = score  # None only when every question was "not concerned" and nothing observed
    locked.area_scores = [area.as_dict() for area in area_scores]
    locked.completed_at = at
    locked.save(update_fields=["signals", "score", "area_scores", "completed_at", "updated_at"])
    return locked


# --- Editing questionnaires -------------------------------------------------------------------------------


def _copy_version(source: QuestionnaireVersion, *, into: Questionnaire) -> QuestionnaireVersion:
    """A draft of `into` with the content of `source`: areas (same codes), questions, choices, sheets."""
    draft = QuestionnaireVersion.objects.create(questionnaire=into, based_on=source)
    for area in _version_areas(source):
        new_area = Area.objects.create(
            version=draft, code=area.code, title=area.title, intro=area.intro, order=area.order
        )
        choices = []
        for question in area.questions.all():
            new_question = Question.objects.create(
                area=new_area,
                text=question.text,
                help=question.help,
                order=question.order,
                allow_not_concerned=question.allow_not_concerned,
            )
            choices += [
                Choice(question=new_question, label=c.label, points=c.points, order=c.order)
                for c in question.choices.all()
            ]
        Choice.objects.bulk_create(choices)
        RecommendationSheet.objects.bulk_create(
            RecommendationSheet(area=new_area, title=s.title, body=s.body, feature=s.feature, order=s.order)
            for s in area.sheets.all()
        )
    return draft


@transaction.atomic
def questionnaire_adapt(*, town: Town, title: str = "") -> QuestionnaireVersion:
    """Give the town its own questionnaire, a draft copy of the platform's latest published version; the
    platform's keeps applying to the town until the copy is published."""
    Town.objects.select_for_update().get(pk=town.pk)
    if Questionnaire.objects.filter(town=town).exists():
        raise ValidationError(_("La ville a déjà son propre questionnaire : modifiez-le."))
    source = latest_published(platform_questionnaire())
    if source is None:
        raise ValidationError(_("La plateforme n'a pas encore publié de questionnaire à adapter."))
    questionnaire = Questionnaire.objects.create(
        town=town, title=title or f"{source.questionnaire.title} — {town.name}"
    )
    return _copy_version(source, into=questionnaire)


@transaction.atomic
def version_draft(*, questionnaire: Questionnaire) -> QuestionnaireVersion:
    """The questionnaire's draft: the one being edited, or a new copy of its latest published version."""
    Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    draft = QuestionnaireVersion.objects.filter(
        questionnaire=questionnaire, published_at__isnull=True
    ).first()
    if draft is not None:
        return draft
    source = latest_published(questionnaire)
    if source is None:
        return QuestionnaireVersion.objects.create(questionnaire=questionnaire)
    return _copy_version(source, into=questionnaire)


def _check_publishable(version: QuestionnaireVersion) -> None:
    areas = _version_areas(version)
    errors = []
    if not areas:
        errors.append(_("Ajoutez au moins un domaine."))
    for area in areas:
        questions = list(area.questions.all())
        if not questions:
            errors.append(_("Le domaine « %(area)s » n'a aucune question.") % {"area": area.title})
        for question in questions:
            choices = list(question.choices.all())
            if len(choices) < 2:
                errors.append(
                    _("La question « %(question)s » doit proposer au moins deux réponses.")
                    % {"question": question.text}
                )
            elif max(choice.points for choice in choices) == 0:
                errors.append(
                    _("Une réponse au moins de la question « %(question)s » doit rapporter des points.")
                    % {"question": question.text}
                )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def version_publish(*, version: QuestionnaireVersion, user: User, at: datetime) -> QuestionnaireVersion:
    """Publish a draft as the questionnaire's next version; merchants who start a diagnostic from now on
    answer it, those who started before keep theirs."""
    Questionnaire.objects.select_for_update().get(pk=version.questionnaire_id)
    locked = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if locked.published_at is not None:
        raise ValidationError(_("Cette version est déjà publiée."))
    _check_publishable(locked)
    last = QuestionnaireVersion.objects.filter(questionnaire_id=locked.questionnaire_id).aggregate(
        last=Max("number")
    )["last"]
    locked.number = (last or 0) + 1
    locked.published_at = at
    locked.published_by = user
    locked.save(update_fields=["number", "published_at", "published_by", "updated_at"])
    return locked


def _draft(version_id: int) -> QuestionnaireVersion:
    """Lock a version that must still be a draft: a published version never changes."""
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version_id)
    if version.published_at is not None:
        raise ValidationError(
            _(
                "Cette version est publiée : elle ne change plus. "
                "Modifiez un brouillon pour en publier une nouvelle."
            )
        )
    return version


@transaction.atomic
def version_discard(*, version: QuestionnaireVersion) -> None:
    _draft(version.pk).delete()


@transaction.atomic
def area_save(
    *, version: QuestionnaireVersion, area: Area | None, title: str, intro: str, order: int
) -> Area:
    """Add an area to a draft, or change one of its areas (its code stays, to compare across versions)."""
    _draft(version.pk)
    if area is None:
        from django.utils.text import slugify

        base = slugify(title)[:30] or "domaine"
        code, number = base, 1
        while Area.objects.filter(version=version, code=code).exists():
            number += 1
            code = f"{base}-{number}"
        return Area.objects.create(version=version, code=code, title=title, intro=intro, order=order)
    area.title, area.intro, area.order = title, intro, order
    area.full_clean()
    area.save(update_fields=["title", "intro", "order"])
    return area


@transaction.atomic
def question_save(
    *,
    area: Area,
    question: Question | None,
    text: str,
    help_text: str,
    order: int,
    allow_not_concerned: bool,
    choices: list[tuple[str, int]],
) -> Question:
    """Add or change a draft's question and replace its choices (label, points) in the given order."""
    _draft(area.version_id)
    if len(choices) < 2:
        raise ValidationError(_("Proposez au moins deux réponses."))
    if max(points for _label, points in choices) == 0:
        raise ValidationError(_("Une réponse au moins doit rapporter des points."))
    if question is None:
        question = Question(area=area)
    question.text, question.help, question.order = text, help_text, order
    question.allow_not_concerned = allow_not_concerned
    question.full_clean()
    question.save()
    question.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(question=question, label=label, points=points, order=number)
        for number, (label, points) in enumerate(choices, start=1)
    )
    return question


@transaction.atomic
def sheet_save(
    *, area: Area, sheet: RecommendationSheet | None, title: str, body: str, feature: str, order: int
) -> RecommendationSheet:
    """Add or change a draft's recommendation sheet."""
    _draft(area.version_id)
    if sheet is None:
        sheet = RecommendationSheet(area=area)
    sheet.area, sheet.title, sheet.body, sheet.feature, sheet.order = area, title, body, feature, order
    sheet.full_clean()
    sheet.save()
    return sheet


@transaction.atomic
def content_delete(*, item: Area | Question | RecommendationSheet) -> None:
    """Remove an area (with its questions and sheets), a question or a sheet from a draft."""
    _draft(item.version_id if isinstance(item, Area) else item.area.version_id)
    item.delete()
