"""The self-diagnostic: versioned questionnaires by area, recommendation sheets, merchants' answered
diagnostics.

A questionnaire is the platform's (no town) or a town's own copy, which replaces the platform's for that town.
Its content lives in versions: a draft is edited, publishing gives it the next number, and a published version
never changes again (its areas, questions, choices and sheets are frozen), so a diagnostic answered with it
keeps its questions, its scores and the sheets it showed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from centreville.core.models import TimeStampedModel

__all__ = [
    "Area",
    "Choice",
    "Diagnostic",
    "Question",
    "Questionnaire",
    "QuestionnaireVersion",
    "RecommendationSheet",
]


class Questionnaire(TimeStampedModel):
    """The platform's questionnaire (`town` empty) or a town's own, which its merchants answer instead."""

    town = models.OneToOneField(
        "towns.Town",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="diagnostic_questionnaire",
    )
    title = models.CharField(_("titre"), max_length=150)

    class Meta:
        verbose_name = _("questionnaire d'autodiagnostic")
        verbose_name_plural = _("questionnaires d'autodiagnostic")

    def __str__(self) -> str:
        return self.title


class QuestionnaireVersion(TimeStampedModel):
    """One version of a questionnaire: a draft (not published) or published, and then frozen."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("numéro"), null=True, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("copie de")
    )

    class Meta:
        verbose_name = _("version de questionnaire")
        verbose_name_plural = _("versions de questionnaire")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="diagnostic_version_number"),
            models.UniqueConstraint(
                fields=["questionnaire"], condition=Q(published_at__isnull=True), name="diagnostic_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True, number__isnull=True)
                | Q(published_at__isnull=False, number__isnull=False),
                name="diagnostic_published_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number or '-'}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class Area(models.Model):
    """An area of the questionnaire (visibility, payment…); its code is kept from version to version, so
    scores of different versions and towns compare area by area."""

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="areas")
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("titre"), max_length=120)
    intro = models.TextField(_("présentation"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("domaine")
        verbose_name_plural = _("domaines")
        ordering = ["version", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="diagnostic_area_code")]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A one-choice question of an area; "not concerned" leaves it out of the area's score."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    help = models.CharField(_("aide"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    allow_not_concerned = models.BooleanField(
        _("réponse « Je ne suis pas concerné » possible"), default=False
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["area", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    """One answer to a question and the points it brings."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(_("réponse"), max_length=200)
    points = models.PositiveSmallIntegerField(_("points"), default=0)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("réponse possible")
        verbose_name_plural = _("réponses possibles")
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class RecommendationSheet(models.Model):
    """A « fiche réflexe »: concrete steps in plain French for a weak area, with a link to the platform's
    feature that helps (a key of `support.diagnostic.FEATURES`)."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="sheets")
    title = models.CharField(_("titre"), max_length=150)
    body = models.TextField(_("texte"), help_text=_("Une étape par ligne, en phrases courtes."))
    feature = models.CharField(_("fonction de la plateforme"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("fiche réflexe")
        verbose_name_plural = _("fiches réflexes")
        ordering = ["area", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Diagnostic(TimeStampedModel):
    """A shop's self-diagnostic with one questionnaire version: answers saved at each step, and at completion
    the scores and the platform's signals of that moment, stored so the result never changes."""

    town = models.ForeignKey("towns.Town", on_delete=models.CASCADE, related_name="+")
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="diagnostics")
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="diagnostics")
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    with_adviser = models.BooleanField(_("avec un conseiller"), default=False)
    started_at = models.DateTimeField(_("commencé le"))
    completed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    # {"<question id>": <choice id>, or null for "not concerned"}
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    # Filled at completion (support.diagnostic.diagnostic_complete): see `DiagnosticScores`.
    score = models.PositiveSmallIntegerField(_("score global"), null=True, blank=True)
    area_scores = models.JSONField(_("scores par domaine"), default=list, blank=True)
    signals = models.JSONField(_("signaux de la plateforme"), default=dict, blank=True)

    class Meta:
        verbose_name = _("autodiagnostic")
        verbose_name_plural = _("autodiagnostics")
        indexes = [
            models.Index(fields=["town", "shop", "completed_at"], name="diagnostic_town_shop_done"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["shop"], condition=Q(completed_at__isnull=True), name="diagnostic_one_open_per_shop"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} @ {self.started_at:%Y-%m-%d}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None
