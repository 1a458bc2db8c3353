"""Argentan's running coaching programme: three volunteer experts, five merchants, actions at every stage.

« Accompagnement numérique » started five weeks before the load's `today` and lasts eight weeks. The demo
merchant's bakery is setting up online payment (meetings held with their notes, milestones done, the next
meeting booked in its quiet hours), their coffee roaster is starting a social network page (no meeting
booked yet: the slot picker shows), the cheese shop's catalogue has stalled (last meeting three weeks ago, a
milestone ten days late), the grocer's maps listing is finished with its end review, and the chocolate
maker's Click & Collect is planned. The experts log in with the demo password (`EXPERTS`, listed by
`demo_load` with the other logins).

The programme and the pairs are written through the coaching services; the past (meetings held, notes,
milestones done) is dated back from `today`. Idempotent: the programme is found by its name and filled only
when new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from centreville.accounts.models import User
from centreville.shops.models import Shop
from centreville.support import coaching
from centreville.support.models import (
    CoachingAction,
    CoachingMeeting,
    CoachingMilestone,
    CoachingProgramme,
)
from centreville.support.models.coaching import ActionKind, ActionStatus, MeetingStatus
from centreville.towns.models import Town

PROGRAMME_NAME = "Accompagnement numérique — printemps"
# (email, first name, last name): created by demo_load with the expert role in Argentan.
EXPERTS = (
    ("experte.paiement@argentan.example", "Claire", "Marais"),
    ("expert.reseaux@argentan.example", "Olivier", "Leroy"),
    ("experte.catalogue@argentan.example", "Inès", "Pottier"),
)


@dataclass(frozen=True)
class _Meeting:
    days_ago: int
    note: str = ""
    next_step: str = ""
    status: str = MeetingStatus.HELD


@dataclass(frozen=True)
class _Milestone:
    title: str
    due_in: int  # days after today (negative: before)
    done_days_ago: int | None = None


@dataclass(frozen=True)
class _Pair:
    shop_slug: str
    expert: int  # index in EXPERTS
    kind: str
    goal: str
    status: str
    started_days_ago: int | None
    meetings: tuple[_Meeting, ...] = ()
    milestones: tuple[_Milestone, ...] = ()
    book_next: bool = False
    review: tuple[str, str, int, str] | None = None  # outcome, what changed, merchant's rating, comment
    ended_days_ago: int | None = None


PAIRS = (
    _Pair(
        "boulangerie-lemonnier",
        0,
        ActionKind.ONLINE_PAYMENT,
        "Encaisser les commandes de gâteaux en ligne, sans frais cachés.",
        ActionStatus.RUNNING,
        34,
        meetings=(
            _Meeting(
                34,
                "Tour des besoins : commandes de gâteaux le week-end, acomptes demandés au téléphone.",
                "Comparer deux prestataires de paiement",
            ),
            _Meeting(
                20,
                "Prestataire choisi, compte ouvert. Reste à brancher le paiement sur la plateforme.",
                "Envoyer le RIB et la pièce d'identité",
            ),
            _Meeting(
                6,
                "Paiement activé en mode test ; un achat d'essai est passé.",
                "Passer en réel et l'annoncer en boutique",
            ),
        ),
        milestones=(
            _Milestone("Choisir le prestataire de paiement", -24, done_days_ago=20),
            _Milestone("Activer le paiement en mode test", -7, done_days_ago=6),
            _Milestone("Premier paiement réel d'un client", 10),
        ),
        book_next=True,
    ),
    _Pair(
        "brulerie-lemonnier",
        1,
        ActionKind.SOCIAL_PAGE,
        "Une page Instagram tenue en 10 minutes par semaine : arrivages de cafés et ateliers.",
        ActionStatus.RUNNING,
        12,
        meetings=(
            _Meeting(
                12, "Compte créé, bio rédigée, trois photos des sacs de café.", "Prévoir 4 publications"
            ),
        ),
        milestones=(_Milestone("Quatre publications programmées", 9),),
    ),
    _Pair(
        "fromagerie-gosselin",
        2,
        ActionKind.CATALOGUE,
        "Les 40 fromages de la cave en ligne, avec photo et prix au kilo.",
        ActionStatus.RUNNING,
        33,
        meetings=(
            _Meeting(
                33,
                "Liste des fromages faite sur papier ; photos à prendre le lundi, jour de fermeture.",
                "Photographier 20 fromages",
            ),
            _Meeting(
                21, "12 fiches produits créées. Manque de temps avant les fêtes.", "Finir les 28 fiches"
            ),
            _Meeting(13, status=MeetingStatus.MISSED),
        ),
        milestones=(
            _Milestone("20 premières fiches produits", -18, done_days_ago=21),
            _Milestone("Les 40 fromages en ligne", -10),
        ),
    ),
    _Pair(
        "primeur-tostain",
        0,
        ActionKind.MAPS_LISTING,
        "Horaires et photos justes sur les cartes en ligne.",
        ActionStatus.DONE,
        35,
        meetings=(
            _Meeting(35, "Fiche revendiquée ; horaires d'été encore affichés.", "Corriger les horaires"),
            _Meeting(
                21, "Horaires, photos et lien vers la page de la plateforme à jour.", "Répondre aux avis"
            ),
        ),
        milestones=(
            _Milestone("Revendiquer la fiche", -30, done_days_ago=33),
            _Milestone("Horaires et photos à jour", -20, done_days_ago=21),
        ),
        review=(
            "achieved",
            "La fiche est juste et reçoit des avis ; deux clients sont venus en la voyant.",
            5,
            "Très concret, et en 15 minutes ça passait entre deux clients.",
        ),
        ended_days_ago=6,
    ),
    _Pair(
        "chocolaterie-delamare",
        1,
        ActionKind.CLICK_COLLECT,
        "Réserver les ballotins de Pâques en ligne, retrait en boutique.",
        ActionStatus.PLANNED,
        None,
    ),
)


def _at(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz)


def _pair(programme: CoachingProgramme, spec: _Pair, shop: Shop, experts: list[User], today: date) -> None:
    tz = ZoneInfo(programme.town.timezone)
    expert = experts[spec.expert]
    action = coaching.action_pair(
        programme=programme, expert=expert, shop=shop, kind=spec.kind, goal=spec.goal, actor=None
    )
    if spec.started_days_ago is not None:
        action.status = ActionStatus.RUNNING
        action.started_on = today - timedelta(days=spec.started_days_ago)
        action.save(update_fields=["status", "started_on"])
    for order, milestone in enumerate(spec.milestones):
        CoachingMilestone.objects.create(
            action=action,
            title=milestone.title,
            order=order,
            due_on=today + timedelta(days=milestone.due_in),
            done_on=None
            if milestone.done_days_ago is None
            else today - timedelta(days=milestone.done_days_ago),
        )
    for meeting in spec.meetings:
        starts_at = _at(today - timedelta(days=meeting.days_ago), time(9, 0), tz)
        CoachingMeeting.objects.create(
            action=action,
            starts_at=starts_at,
            status=meeting.status,
            booked_by=expert,
            confirmed_at=starts_at - timedelta(days=2),
            note=meeting.note,
            next_step=meeting.next_step,
            note_by=expert if meeting.note else None,
            note_at=starts_at + timedelta(minutes=20) if meeting.note else None,
        )
    if spec.book_next:
        at = _at(today, time(7, 0), tz)
        slots = coaching.meeting_slots(action=action, at=at)
        # The first slow afternoon, else the first quiet morning.
        afternoons = [slot for slot in slots if slot.hour >= 14]
        if afternoons or slots:
            coaching.meeting_book(action=action, starts_at=(afternoons or slots)[0], actor=expert, at=at)
    if spec.review is not None:
        outcome, changed, rating, comment = spec.review
        assert spec.ended_days_ago is not None
        ended_at = _at(today - timedelta(days=spec.ended_days_ago), time(18, 0), tz)
        coaching.end_review_write(
            action=action, outcome=outcome, what_changed=changed, actor=expert, at=ended_at
        )
        merchant = shop.memberships.select_related("user").first()
        if merchant is not None:
            coaching.end_review_merchant(
                action=action, rating=rating, comment=comment, actor=merchant.user, at=ended_at
            )


def demo_coaching_load(town: Town, shops: dict[str, Shop], *, today: date) -> int:
    """Argentan's coaching programme exists (filled when new); returns how many actions it holds."""
    programme = CoachingProgramme.objects.filter(town=town, name=PROGRAMME_NAME).first()
    if programme is None:
        experts = list(User.objects.filter(email__in=[email for email, _first, _last in EXPERTS]))
        experts.sort(key=lambda user: [email for email, _f, _l in EXPERTS].index(user.email))
        starts_on = today - timedelta(weeks=5)
        programme = coaching.programme_create(
            town=town,
            name=PROGRAMME_NAME,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(weeks=8),
            description=(
                "Huit semaines, des experts bénévoles et des commerçants du centre-ville : une action "
                "concrète par commerce, des rendez-vous de 15 minutes dans les heures calmes."
            ),
            experts=experts,
            actor=None,
        )
        for spec in PAIRS:
            if spec.shop_slug in shops:
                _pair(programme, spec, shops[spec.shop_slug], experts, today)
    return CoachingAction.objects.filter(programme=programme).count()
