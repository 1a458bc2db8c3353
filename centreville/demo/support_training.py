"""The demo town's training sessions for merchants: two past sessions with their attendance and follow-up
tasks (some done, one overdue), and three to come, one of them full with a waiting list. The demo merchant
(commercant@argentan.example) attended both past sessions, has tasks to tick, a seat in one session to come
and a place in the waiting list of the full one.

Written through the training services, so the demo obeys the same rules as the pages. Idempotent: sessions
are found by title in the town; a session whose date no longer fits the load's `today` (a demo loaded again
days later) is deleted with its registrations and written again, so the demo always has sessions to come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from centreville.accounts.models import User
from centreville.shops.models import Shop, ShopMembership
from centreville.support import training
from centreville.support.models import FollowUpTask, Registration, TrainingSession
from centreville.towns.models import Town

MERCHANT_EMAIL = "commercant@argentan.example"
ADVISER_EMAIL = "conseiller@argentan.example"
MEDIATHEQUE = "Médiathèque François-Mitterrand, salle d'animation, 2 rue de la Chaussée, Argentan"
VISIO = "https://visio.argentan.example/formation-commercants"


@dataclass(frozen=True)
class _SessionSpec:
    title: str
    days: int  # from the load's today (negative: past)
    start: time
    minutes: int
    capacity: int
    registrants: int  # how many demo merchants registered, the demo merchant first
    trainer: str
    description: str
    place: str = ""
    video_url: str = ""
    suggested_tasks: tuple[str, ...] = ()
    # Past sessions: for each registrant in order, came or not, and the task given (done or not).
    came: tuple[bool, ...] = ()
    done: tuple[bool, ...] = ()
    merchant_waits: bool = False  # the demo merchant registers last (so waits when the session is full)


SESSIONS: tuple[_SessionSpec, ...] = (
    _SessionSpec(
        "Être trouvé sur Google Maps et les cartes",
        -40,
        time(14, 0),
        120,
        10,
        7,
        "Yann Lebailly, conseiller numérique",
        "Créer ou reprendre la fiche de votre commerce, des horaires justes (jours fériés compris), des "
        "photos qui donnent envie d'entrer, et répondre aux avis.",
        place=MEDIATHEQUE,
        suggested_tasks=(
            "Revendiquer et compléter sa fiche d'établissement",
            "Indiquer les horaires des jours fériés",
            "Ajouter trois photos de la vitrine et de l'intérieur",
        ),
        came=(True, True, True, False, True, True, False),
        done=(True, False, True, False, False, True, False),
    ),
    _SessionSpec(
        "Vendre en Click & Collect sur la plateforme",
        -12,
        time(8, 30),
        60,
        12,
        5,
        "Yann Lebailly, conseiller numérique",
        "Mettre en ligne vos produits phares en une heure, les créneaux de retrait, répondre à une commande "
        "depuis votre téléphone.",
        video_url=VISIO,
        suggested_tasks=(
            "Mettre en ligne dix produits avec photo et prix",
            "Ouvrir les créneaux de retrait",
        ),
        came=(True, True, True, True, False),
        done=(False, True, False, False, False),
    ),
    _SessionSpec(
        "Réseaux sociaux : une publication par semaine en 15 minutes",
        5,
        time(8, 45),
        60,
        4,
        6,
        "Claire Féret, Chambre de commerce et d'industrie",
        "Quoi publier, quand, avec quelles photos ; préparer un mois de publications avant l'ouverture.",
        place=MEDIATHEQUE,
        merchant_waits=True,
    ),
    _SessionSpec(
        "Répondre aux avis clients et soigner sa e-réputation",
        12,
        time(14, 0),
        90,
        12,
        2,
        "Yann Lebailly, conseiller numérique",
        "Répondre à un avis négatif sans s'énerver, demander des avis aux clients contents.",
        video_url=VISIO,
    ),
    _SessionSpec(
        "Protéger les données de vos clients (RGPD) sans y passer la journée",
        26,
        time(9, 0),
        120,
        15,
        0,
        "Maître Anne Guérin, avocate",
        "Fichier clients, newsletter, vidéosurveillance : ce qui est obligatoire et ce qui suffit.",
        place=MEDIATHEQUE,
    ),
)


def demo_training_load(town: Town, shops: dict[str, Shop], *, today: date) -> int:
    """The demo town's sessions exist as described above, dated from `today`; returns how many it has."""
    tz = ZoneInfo(town.timezone)
    adviser = User.objects.filter(email=ADVISER_EMAIL).first()
    people = _merchants(town)
    for spec in SESSIONS:
        starts_at = datetime.combine(today + timedelta(days=spec.days), spec.start, tzinfo=tz)
        existing = TrainingSession.objects.filter(town=town, title=spec.title)
        if existing.filter(starts_at=starts_at).exists():
            continue
        # The demo's own session at another date: written again for this load's today.
        FollowUpTask.objects.filter(session__in=existing).delete()
        Registration.objects.filter(session__in=existing).delete()
        existing.delete()
        _session(town, spec, starts_at, adviser, people)
    return TrainingSession.objects.filter(town=town).count()


def _merchants(town: Town) -> list[tuple[User, Shop]]:
    """Each demo merchant of the town with the first shop they run, the demo merchant first."""
    memberships = (
        ShopMembership.objects.filter(shop__town=town, user__is_active=True)
        .select_related("user", "shop")
        .order_by("user__email", "shop__slug")
    )
    seen: dict[int, tuple[User, Shop]] = {}
    for membership in memberships:
        seen.setdefault(membership.user_id, (membership.user, membership.shop))
    people = list(seen.values())
    people.sort(key=lambda pair: (pair[0].email != MERCHANT_EMAIL, pair[0].email))
    return people


def _session(
    town: Town, spec: _SessionSpec, starts_at: datetime, adviser: User | None, people: list[tuple[User, Shop]]
) -> TrainingSession:
    session = training.session_create(
        town=town,
        data=training.SessionData(
            title=spec.title,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=spec.minutes),
            capacity=spec.capacity,
            description=spec.description,
            trainer=spec.trainer,
            place=spec.place,
            video_url=spec.video_url,
            suggested_tasks="\n".join(spec.suggested_tasks),
        ),
        actor=adviser,
    )
    registrants = people[: spec.registrants]
    if spec.merchant_waits and registrants:
        registrants = [*registrants[1:], registrants[0]]
    opened = starts_at - timedelta(days=20)
    registrations = [
        training.registration_create(
            session=session, user=user, shop=shop, at=opened + timedelta(hours=index)
        )
        for index, (user, shop) in enumerate(registrants)
    ]
    if spec.came:
        ends_at = starts_at + timedelta(minutes=spec.minutes)
        training.attendance_record(
            session=session, attended={r.pk: came for r, came in zip(registrations, spec.came, strict=False)},
            at=ends_at,
        )  # fmt: skip
        attendees = [r for r, came in zip(registrations, spec.came, strict=False) if came]
        given = training.tasks_add(
            session=session,
            tasks=[
                training.TaskData(
                    registration_id=registration.pk,
                    title=spec.suggested_tasks[index % len(spec.suggested_tasks)],
                    due_on=starts_at.date() + timedelta(days=21),
                )
                for index, registration in enumerate(attendees)
            ],
            actor=adviser,
        )
        done_of = dict(zip([r.pk for r in registrations], spec.done, strict=False))
        for task in given:
            if done_of.get(task.registration_id):
                training.task_set_done(task=task, done=True, at=ends_at + timedelta(days=6))
    return session
