"""The self-diagnostic's scoring and reads: which questionnaire a town's merchants answer, the scores, what
the platform sees, the town's average, and the summaries the town's follow-up pages read.

Scoring, written once here and shown on the result page:

- An area's score is the points obtained over the maximum points of the questions answered in it, « not
  concerned » answers left out, plus the items the platform observes for that area (`observed_items`: a page
  without photo or hours, products not updated for 60 days, orders left unanswered), each worth
  `OBSERVED_POINTS`. The ratio is turned into 0..100 and rounded half up (`percent`). An area with nothing
  answered and nothing observed has no score.
- The overall score is the plain mean of the areas' (rounded) scores, areas without a score left out, rounded
  half up: each area weighs the same whatever its number of questions, as the merchant reads the bars. A
  diagnostic with no area scored (every question « not concerned », nothing observed) has no overall score
  and is left out of the town's figures.
- An area is weak below `WEAK_BELOW`: its recommendation sheets are shown.
- The town's average of an area (and overall) is the mean of the latest completed diagnostic of each of the
  town's shops, shown only when at least `MIN_SHOPS_FOR_AVERAGE` shops have one (small-count suppression).

Scores, answers and signals are stored on the diagnostic when it is completed, and the version it was
answered with (its questions and sheets) never changes, so a past result never changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import Lead, RowNumber, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centreville.shops.models import Shop
from centreville.towns.models import Town

from .models import Area, Diagnostic, Question, Questionnaire, QuestionnaireVersion, ShopSignals

WEAK_BELOW = 50
MIN_SHOPS_FOR_AVERAGE = 5
OBSERVED_POINTS = 2
NOT_CONCERNED = "nc"

# Features of the platform a sheet may link to: key → (label, URL name, anchor or query). Every one is a
# page of the shop's merchant back office (`<town>/<shop>` arguments), but "orders" (`<town>`, ?commerce=).
FEATURES: dict[str, tuple[Any, str, str]] = {
    "shop_info": (_("Informations, horaires et contact"), "merchants:shop_edit", ""),
    "opening_hours": (_("Indiquer vos horaires d'ouverture"), "merchants:shop_edit", "#id_opening_hours"),
    "closures": (_("Fermetures exceptionnelles"), "merchants:shop_closures", ""),
    "photos": (_("Photos du commerce"), "merchants:shop_photos", ""),
    "products": (_("Produits, prix et stocks"), "merchants:products", ""),
    "product_import": (_("Importer des produits d'un tableur"), "merchants:products_import", ""),
    "payment": (_("Paiement en ligne"), "merchants:shop_payment", ""),
    "click_collect": (_("Retrait, livraison et créneaux"), "fulfilment_merchant:shop_settings", ""),
    "orders": (_("Commandes du jour"), "orders_merchant:day", "?commerce={shop}"),
    "poster": (_("QR code et affiche"), "signage:shop_print", ""),
}


def feature_choices() -> list[tuple[str, Any]]:
    return [("", _("Aucune")), *((key, label) for key, (label, _name, _tail) in FEATURES.items())]


def feature_link(key: str, *, town_slug: str, shop_slug: str) -> tuple[str, str] | None:
    """The label and address of a platform feature for one shop, or None for an unknown key."""
    if key not in FEATURES:
        return None
    label, name, tail = FEATURES[key]
    if name == "orders_merchant:day":
        return str(label), reverse(name, args=[town_slug]) + tail.format(shop=shop_slug)
    return str(label), reverse(name, args=[town_slug, shop_slug]) + tail


# --- Scoring -------------------------------------------------------------------------------------------


def percent(points: int, maximum: int) -> int:
    """points / maximum as 0..100, rounded half up (12.5 → 13), in integers so no float rounds wrong."""
    return (200 * points + maximum) // (2 * maximum)


def mean_half_up(values: list[int]) -> int:
    """The mean of integers, rounded half up."""
    return (2 * sum(values) + len(values)) // (2 * len(values))


@dataclass(frozen=True)
class Observed:
    """Something the platform sees on the shop, counted in an area's score."""

    area_code: str
    key: str
    points: int
    max_points: int = OBSERVED_POINTS

    @property
    def label(self) -> str:
        return str(OBSERVED_LABELS[self.key][self.points == self.max_points])


# key → (what is wrong, what is fine)
OBSERVED_LABELS: dict[str, tuple[Any, Any]] = {
    "photo": (_("Votre page n'a pas de photo."), _("Votre page a une photo.")),
    "hours": (
        _("Vos horaires d'ouverture ne sont pas indiqués."),
        _("Vos horaires d'ouverture sont indiqués."),
    ),
    "products": (_("Aucun produit n'est visible en ligne."), _("Des produits sont visibles en ligne.")),
    "stale": (
        _("Des produits n'ont pas été mis à jour depuis 60 jours."),
        _("Vos produits ont été mis à jour depuis moins de 60 jours."),
    ),
    "unanswered": (
        _("Des réservations sont restées sans réponse."),
        _("Vos réservations ont toutes reçu une réponse."),
    ),
}


def signals_snapshot(signals: ShopSignals | None) -> dict[str, Any]:
    """The platform's signals on a shop, as stored on a completed diagnostic ({} when none were computed:
    the shop is not published yet)."""
    if signals is None:
        return {}
    return {
        "computed_at": signals.computed_at.isoformat(),
        "has_photo": signals.has_photo,
        "has_opening_hours": signals.has_opening_hours,
        "products": signals.products,
        "stale_products": signals.stale_products,
        "unanswered_orders": signals.unanswered_orders,
    }


def observed_items(signals: dict[str, Any]) -> list[Observed]:
    """What the platform sees, as scored items: visibility (photo, hours), online sales (products online),
    stock (products updated within 60 days, when there are products), customer relationship (no reservation
    left unanswered). Nothing when the platform computed no signal."""
    if not signals:
        return []
    full, none = OBSERVED_POINTS, 0
    items = [
        Observed("visibilite", "photo", full if signals["has_photo"] else none),
        Observed("visibilite", "hours", full if signals["has_opening_hours"] else none),
        Observed("vente-en-ligne", "products", full if signals["products"] else none),
    ]
    if signals["products"]:
        items.append(Observed("stocks", "stale", none if signals["stale_products"] else full))
    items.append(Observed("relation-client", "unanswered", none if signals["unanswered_orders"] else full))
    return items


@dataclass(frozen=True)
class AreaScore:
    code: str
    title: str
    score: int | None
    points: int
    max_points: int
    answered: int
    not_concerned: int
    observed: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "score": self.score,
            "points": self.points,
            "max_points": self.max_points,
            "answered": self.answered,
            "not_concerned": self.not_concerned,
            "observed": self.observed,
        }


def score_areas(
    *, areas: list[Area], answers: dict[str, Any], signals: dict[str, Any]
) -> tuple[int | None, list[AreaScore]]:
    """The overall score and each area's, from a version's areas (questions and choices prefetched), the
    answers ({question id: choice id or None for "not concerned"}) and the signals snapshot."""
    observed = observed_items(signals)
    results = []
    for area in areas:
        points = maximum = answered = not_concerned = 0
        for question in area.questions.all():
            key = str(question.pk)
            if key not in answers:
                continue
            if answers[key] is None:
                not_concerned += 1
                continue
            choices = list(question.choices.all())
            chosen = next((c for c in choices if c.pk == answers[key]), None)
            if chosen is None:
                continue
            answered += 1
            points += chosen.points
            maximum += max(c.points for c in choices)
        seen = []
        for item in observed:
            if item.area_code == area.code:
                points += item.points
                maximum += item.max_points
                seen.append({"key": item.key, "points": item.points, "max_points": item.max_points})
        score = percent(points, maximum) if maximum else None
        results.append(
            AreaScore(area.code, area.title, score, points, maximum, answered, not_concerned, seen)
        )
    scored = [result.score for result in results if result.score is not None]
    return (mean_half_up(scored) if scored else None), results


# --- Questionnaires ---------------------------------------------------------------------------------------


def platform_questionnaire() -> Questionnaire | None:
    return Questionnaire.objects.filter(town__isnull=True).order_by("pk").first()


def latest_published(questionnaire: Questionnaire | None) -> QuestionnaireVersion | None:
    if questionnaire is None:
        return None
    return (
        QuestionnaireVersion.objects.filter(questionnaire=questionnaire, published_at__isnull=False)
        .order_by("-number")
        .first()
    )


def town_questionnaire(town: Town) -> Questionnaire | None:
    return Questionnaire.objects.filter(town=town).first()


def current_version(town: Town) -> QuestionnaireVersion | None:
    """The version a town's merchants answer: the town's own latest published one, else the platform's."""
    return latest_published(town_questionnaire(town)) or latest_published(platform_questionnaire())


def version_areas(version: QuestionnaireVersion) -> list[Area]:
    """A version's areas with their questions, choices and sheets, in four queries."""
    return list(
        Area.objects.filter(version=version)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch(
                "questions", queryset=Question.objects.order_by("order", "pk").prefetch_related("choices")
            ),
            "sheets",
        )
    )


def first_unanswered_step(areas: list[Area], answers: dict[str, Any]) -> int:
    """The step (1-based area number) to resume at: the first area with a question not answered yet, or the
    last one when all are."""
    for number, area in enumerate(areas, start=1):
        if any(str(question.pk) not in answers for question in area.questions.all()):
            return number
    return len(areas)


# --- Results ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TownAverage:
    shops: int
    overall: int | None  # None: fewer than MIN_SHOPS_FOR_AVERAGE shops
    areas: dict[str, int]  # only the areas at least MIN_SHOPS_FOR_AVERAGE shops have a score in


def _latest_per_shop(rows: Any) -> dict[int, list[Any]]:
    """Rows ordered by shop then newest first → each shop's rows, newest first."""
    by_shop: dict[int, list[Any]] = {}
    for row in rows:
        by_shop.setdefault(row[0], []).append(row)
    return by_shop


def town_average(*, town_id: int) -> TownAverage:
    """The mean of the latest completed diagnostic of each shop of the town, overall and by area code;
    suppressed under MIN_SHOPS_FOR_AVERAGE shops. One query."""
    rows = (
        Diagnostic.objects.filter(town_id=town_id, completed_at__isnull=False)
        .order_by("shop_id", "-completed_at", "-pk")
        .values_list("shop_id", "score", "area_scores")
    )
    latest = [shop_rows[0] for shop_rows in _latest_per_shop(rows).values()]
    scores = [score for _shop, score, _areas in latest if score is not None]
    by_area: dict[str, list[int]] = {}
    for _shop, _score, areas in latest:
        for area in areas:
            if area.get("score") is not None:
                by_area.setdefault(area["code"], []).append(area["score"])
    return TownAverage(
        shops=len(latest),
        overall=mean_half_up(scores) if len(scores) >= MIN_SHOPS_FOR_AVERAGE else None,
        areas={
            code: mean_half_up(values)
            for code, values in by_area.items()
            if len(values) >= MIN_SHOPS_FOR_AVERAGE
        },
    )


def shop_diagnostics(shop: Shop) -> list[Diagnostic]:
    """A shop's diagnostics, newest first (the open one, if any, first)."""
    return list(
        Diagnostic.objects.filter(shop=shop)
        .select_related("taken_by", "version")
        .order_by("-started_at", "-pk")
    )


def previous_completed(diagnostic: Diagnostic) -> Diagnostic | None:
    """The shop's completed diagnostic just before this one."""
    if diagnostic.completed_at is None:
        return None
    return (
        Diagnostic.objects.filter(
            shop_id=diagnostic.shop_id, completed_at__lt=diagnostic.completed_at, score__isnull=False
        )
        .order_by("-completed_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class AreaRow:
    """One area of a result, as the result page and the follow-up page draw it."""

    code: str
    title: str
    score: int | None
    town_average: int | None
    previous: int | None
    weak: bool
    observed: list[dict[str, Any]]

    @property
    def delta(self) -> int | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous


def result_rows(
    diagnostic: Diagnostic, *, previous: Diagnostic | None, average: TownAverage | None
) -> list[AreaRow]:
    """Each area of a completed diagnostic with the town's average and the previous diagnostic's score of the
    same area (by code), from what was stored at completion only."""
    before = {area["code"]: area.get("score") for area in (previous.area_scores if previous else [])}
    rows = []
    for area in diagnostic.area_scores:
        score = area.get("score")
        observed = [
            {**item, "label": Observed("", item["key"], item["points"], item["max_points"]).label}
            for item in area.get("observed", [])
        ]
        rows.append(
            AreaRow(
                code=area["code"],
                title=area["title"],
                score=score,
                town_average=average.areas.get(area["code"]) if average else None,
                previous=before.get(area["code"]),
                weak=score is not None and score < WEAK_BELOW,
                observed=observed,
            )
        )
    return rows


# --- What the town's follow-up reads -------------------------------------------------------------------


@dataclass(frozen=True)
class DiagnosticSummary:
    taken_on: date
    score: int  # 0..100 overall
    previous_score: int | None
    count: int


def diagnostics_by_shop(*, town_id: int) -> dict[int, DiagnosticSummary]:
    """Each shop of the town with a completed diagnostic: its latest one's day (on the town's clock) and
    score, the score of the one before, how many it completed. One query whatever the number of shops: window
    functions keep one row per shop in the database."""
    shop, newest_first = [F("shop_id")], [F("completed_at").desc(), F("pk").desc()]
    rows = (
        Diagnostic.objects.filter(town_id=town_id, completed_at__isnull=False, score__isnull=False)
        .annotate(
            rank=Window(RowNumber(), partition_by=shop, order_by=newest_first),
            previous_score=Window(Lead("score"), partition_by=shop, order_by=newest_first),
            completed=Window(Count("pk"), partition_by=shop),
            taken_on=TruncDate("completed_at", tzinfo=timezone.get_current_timezone()),
        )
        .filter(rank=1)
        .values_list("shop_id", "taken_on", "score", "previous_score", "completed")
    )
    return {
        shop_id: DiagnosticSummary(taken_on=taken_on, score=score or 0, previous_score=previous, count=count)
        for shop_id, taken_on, score, previous, count in rows  # score is never None here: filtered
    }


def shop_diagnostic_followup(*, shop: Shop, at: datetime) -> dict[str, Any]:
    """What an adviser sees of one shop's diagnostics (`support/diagnostic/_shop_followup.html`): the latest
    completed one with its areas (previous score, town average, weak or not), the one in progress, the
    history. Four queries."""
    diagnostics = list(
        Diagnostic.objects.filter(shop=shop).select_related("taken_by").order_by("-started_at", "-pk")
    )
    completed = sorted(
        (d for d in diagnostics if d.completed_at is not None and d.score is not None),
        key=lambda d: (d.completed_at, d.pk),
        reverse=True,
    )
    open_diagnostic = next((d for d in diagnostics if d.completed_at is None), None)
    latest = completed[0] if completed else None
    previous = completed[1] if len(completed) > 1 else None
    average = town_average(town_id=shop.town_id) if latest else None
    rows = result_rows(latest, previous=previous, average=average) if latest else []
    return {
        "diagnostic_shop": shop,
        "diagnostic_latest": latest,
        "diagnostic_previous": previous,
        "diagnostic_rows": rows,
        "diagnostic_weak": [row for row in rows if row.weak],
        "diagnostic_average": average,
        "diagnostic_open": open_diagnostic,
        "diagnostic_history": completed,
        "diagnostic_days_since": (timezone.localdate(at) - timezone.localdate(latest.completed_at)).days
        if latest and latest.completed_at
        else None,
    }


def diagnostic_export(user: Any) -> list[dict[str, Any]]:
    """The diagnostics a person took (alone or as an adviser), for their data export."""
    return [
        {
            "commerce": diagnostic.shop.name,
            "commence_le": diagnostic.started_at.isoformat(),
            "termine_le": diagnostic.completed_at.isoformat() if diagnostic.completed_at else None,
            "avec_un_conseiller": diagnostic.with_adviser,
            "score": diagnostic.score,
            "reponses": diagnostic.answers,
        }
        for diagnostic in Diagnostic.objects.filter(taken_by=user)
        .select_related("shop")
        .order_by("started_at")
    ]
