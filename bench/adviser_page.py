"""The town's follow-up of 2,000 merchants, uncached, as an adviser opens it.

    python -m bench.adviser_page [--merchants 2000] [--requests 60] [--warmup 5] [--seed 0]
        [--postgres-url URL]

Generates, in a PostgreSQL database of its own (kept when the same data is already there, drawn from the
seed, relative to a fixed day): a town of `--merchants` shops each run by one person, the platform's signals
of every shop (one in three with something to improve), completed diagnostics of the platform's
questionnaire for two shops in three (a second, earlier one for half of them), 40 training sessions over
six months with their registrations, attendance and follow-up tasks (done, open, overdue), and a coaching
programme of 22 experts with 300 actions (their milestones and meetings; some stalled, some ended). Then
an adviser of the town, signed in with Django's test client, asks for `/<town>/gestion/accompagnement/`
`--warmup` times, then `--requests` times, measured, alternating the whole list and the « actions en
panne » filter. The page is never cached: each request reads the whole town and computes every figure.
The last line reads `bench=adviser_page db=postgresql merchants=2000 p95_ms=… target_ms=200`; the exit
status is 1 above the target.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import warnings
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.vacancy import measure, percentile

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/centreville_adviser_bench"
TARGET_MS = 200
TOWN_SLUG = "accompagnement-bench"
# The day the data is drawn around, and the page's clock.
REFERENCE = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
SESSIONS = 40
EXPERTS = 22
ACTIONS = 300


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.adviser_page", description=__doc__.splitlines()[0])
    parser.add_argument("--merchants", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=60, help="measured requests (50 at least)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_ADVISER_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="PostgreSQL database of this benchmark (env BENCH_ADVISER_POSTGRES_URL); created if missing",
    )
    args = parser.parse_args(argv)
    if args.merchants < 1 or args.requests < 1 or args.warmup < 0:
        parser.error("merchants and requests must be positive, warm-up not negative")
    return args


# --- The town -----------------------------------------------------------------------------------------------


def generate(*, merchants: int, seed: int) -> tuple[Any, bool]:
    """The bench town with exactly `merchants` shops and their support history: (town, whether it was
    rebuilt). Kept as is when its shops and diagnostics already match the plan."""
    from decimal import Decimal

    from centreville.shops.models import Shop
    from centreville.support.models import Diagnostic
    from centreville.towns.models import Town

    town, _created = Town.objects.get_or_create(
        slug=TOWN_SLUG,
        defaults={
            "name": "Accompagnement-sur-Bench",
            "insee_code": "99902",
            "postcodes": ["99900"],
            "latitude": Decimal("48.744500"),
            "longitude": Decimal("-0.020300"),
        },
    )
    rng = random.Random(f"adviser/{seed}/{merchants}")
    planned_diagnostics = sum(_diagnostics_of(rng) for _ in range(merchants))
    found = (Shop.objects.filter(town=town).count(), Diagnostic.objects.filter(town=town).count())
    if found == (merchants, planned_diagnostics):
        return town, False
    _write_town(town, merchants=merchants, seed=seed)
    return town, True


def _diagnostics_of(rng: random.Random) -> int:
    """How many diagnostics a shop completed: none for one in three, one or two for the others."""
    draw = rng.random()
    return 0 if draw < 1 / 3 else (2 if draw < 2 / 3 else 1)


def _write_town(town: Any, *, merchants: int, seed: int) -> None:
    from django.db import transaction

    from centreville.accounts.models import Role, TownRole, User
    from centreville.shops.models import Shop, ShopMembership, ShopStatus, TradeCategory
    from centreville.support.models import CoachingProgramme, Diagnostic, ShopSignals, TrainingSession

    rng = random.Random(f"adviser/{seed}/{merchants}")
    diagnostics_per_shop = [_diagnostics_of(rng) for _ in range(merchants)]
    with transaction.atomic():
        CoachingProgramme.objects.filter(town=town).delete()
        TrainingSession.objects.filter(town=town).delete()
        Diagnostic.objects.filter(town=town).delete()
        ShopSignals.objects.filter(town=town).delete()
        Shop.objects.filter(town=town).delete()
        User.objects.filter(email__endswith="@accompagnement-bench.example").delete()
        category, _created = TradeCategory.objects.get_or_create(
            slug="bench-accompagnement", defaults={"name": "Commerce de bench (accompagnement)"}
        )
        shops = Shop.objects.bulk_create(
            [
                Shop(
                    town=town,
                    name=f"Commerce {index:04d}",
                    slug=f"commerce-{index:04d}",
                    category=category,
                    street_address=f"{index // 40 + 1} rue du Bench {index % 40 + 1}",
                    postcode="99900",
                    city="Accompagnement-sur-Bench",
                    status=ShopStatus.PUBLISHED,
                )
                for index in range(merchants)
            ],
            batch_size=1000,
        )
        people = User.objects.bulk_create(
            [
                User(email=f"commercant-{index:04d}@accompagnement-bench.example")
                for index in range(merchants)
            ],
            batch_size=1000,
        )
        ShopMembership.objects.bulk_create(
            [ShopMembership(shop=shop, user=user) for shop, user in zip(shops, people, strict=True)],
            batch_size=1000,
        )
        ShopSignals.objects.bulk_create(
            [
                ShopSignals(
                    shop=shop,
                    town=town,
                    computed_at=REFERENCE,
                    has_photo=rng.random() > 0.2,
                    has_opening_hours=rng.random() > 0.1,
                    products=(products := rng.randint(0, 60)),
                    stale_products=rng.randint(0, products) if rng.random() < 0.2 else 0,
                    unanswered_orders=1 if rng.random() < 0.05 else 0,
                )
                for shop in shops
            ],
            batch_size=1000,
        )
        _write_diagnostics(town, shops, people, diagnostics_per_shop, rng)
        _write_training(town, shops, people, rng)
        experts = User.objects.bulk_create(
            [User(email=f"expert-{index:02d}@accompagnement-bench.example") for index in range(EXPERTS)]
        )
        TownRole.objects.bulk_create([TownRole(user=user, town=town, role=Role.EXPERT) for user in experts])
        _write_coaching(town, shops, experts, rng)


def _write_diagnostics(
    town: Any, shops: list[Any], people: list[Any], per_shop: list[int], rng: random.Random
) -> None:
    """Completed diagnostics of the platform's questionnaire, three months apart when there are two."""
    from centreville.support.models import Diagnostic
    from centreville.support.services_diagnostic import platform_questionnaire_ensure

    version = platform_questionnaire_ensure(at=REFERENCE)
    rows = []
    for shop, user, count in zip(shops, people, per_shop, strict=True):
        for done in range(count):
            completed = REFERENCE - timedelta(days=rng.randint(1, 60) + 90 * (count - 1 - done))
            rows.append(
                Diagnostic(
                    town=town,
                    shop=shop,
                    version=version,
                    taken_by=user,
                    started_at=completed - timedelta(minutes=9),
                    completed_at=completed,
                    score=rng.randint(10, 95),
                )
            )
    Diagnostic.objects.bulk_create(rows, batch_size=2000)


def _write_training(town: Any, shops: list[Any], people: list[Any], rng: random.Random) -> None:
    """40 sessions from four months ago to two months ahead; a third of the shops came to one to three
    sessions, each attendee with two follow-up tasks (done, open or overdue); a tenth registered for one
    to come."""
    from centreville.support.models import FollowUpTask, Registration, RegistrationStatus, TrainingSession

    sessions = TrainingSession.objects.bulk_create(
        [
            TrainingSession(
                town=town,
                title=f"Atelier numérique {index + 1}",
                trainer="Camille Martin",
                place="Salle du conseil, mairie",
                starts_at=(starts := REFERENCE + timedelta(days=4 * index - 120)),
                ends_at=starts + timedelta(hours=2),
                capacity=200,
            )
            for index in range(SESSIONS)
        ]
    )
    past = [session for session in sessions if session.starts_at < REFERENCE]
    upcoming = [session for session in sessions if session.starts_at >= REFERENCE]
    registrations = []
    ranks: dict[int, int] = {}
    for shop, user in zip(shops, people, strict=True):
        chosen: list[tuple[Any, bool]] = []
        if rng.random() < 1 / 3:
            chosen += [(session, True) for session in rng.sample(past, rng.randint(1, 3))]
        if rng.random() < 0.1:
            chosen.append((rng.choice(upcoming), False))
        for session, came in chosen:
            ranks[session.pk] = ranks.get(session.pk, 0) + 1
            registrations.append(
                Registration(
                    town=town,
                    session=session,
                    user=user,
                    shop=shop,
                    status=RegistrationStatus.CONFIRMED,
                    rank=ranks[session.pk],
                    confirmed_at=session.starts_at - timedelta(days=7),
                    attended=True if came else None,
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=2000)
    tasks = []  # two per attendance
    for registration in registrations:
        if not registration.attended:
            continue
        for title in ("Compléter sa fiche d'établissement", "Ajouter trois photos"):
            due_on = registration.session.starts_at.date() + timedelta(days=rng.randint(7, 60))
            tasks.append(
                FollowUpTask(
                    town=town,
                    registration=registration,
                    session=registration.session,
                    shop=registration.shop,
                    title=title,
                    due_on=due_on,
                    done_at=REFERENCE - timedelta(days=1) if rng.random() < 0.5 else None,
                )
            )
    FollowUpTask.objects.bulk_create(tasks, batch_size=2000)


def _write_coaching(town: Any, shops: list[Any], experts: list[Any], rng: random.Random) -> None:
    """One 8-week programme: 300 shops each paired with an expert on one action, started over its first
    weeks; a few planned, most running (some without progress for weeks: stalled), some done. Each action has
    three milestones and up to three 15-minute meetings."""
    from centreville.support.models import (
        CoachingAction,
        CoachingMeeting,
        CoachingMilestone,
        CoachingProgramme,
    )
    from centreville.support.models.coaching import ActionKind, ActionStatus, MeetingStatus

    starts_on = REFERENCE.date() - timedelta(weeks=5)
    programme = CoachingProgramme.objects.create(
        town=town, name="Connecte ton commerce", starts_on=starts_on, ends_on=starts_on + timedelta(weeks=8)
    )
    programme.experts.add(*experts)
    kinds = list(ActionKind.values)
    statuses = [ActionStatus.PLANNED, ActionStatus.RUNNING, ActionStatus.DONE]
    planned = []
    for index, shop in enumerate(rng.sample(shops, min(ACTIONS, len(shops)))):
        kind = kinds[index % len(kinds)]
        status = rng.choices(statuses, weights=(1, 7, 2))[0]
        planned.append(
            CoachingAction(
                town=town,
                programme=programme,
                expert=experts[index % len(experts)],
                shop=shop,
                kind=kind,
                title="Page Instagram" if kind == ActionKind.OTHER else "",
                status=status,
                started_on=None
                if status == ActionStatus.PLANNED
                else starts_on + timedelta(rng.randint(0, 14)),
                ended_on=REFERENCE.date() - timedelta(days=2) if status == ActionStatus.DONE else None,
            )
        )
    actions = CoachingAction.objects.bulk_create(planned)
    milestones, meetings = [], []
    for action in actions:
        if action.started_on is None:
            continue
        # One action in five made no progress since its start (stalled); the others did lately.
        active = rng.random() > 0.2
        for order in range(3):
            due_on = action.started_on + timedelta(weeks=2 * (order + 1))
            milestones.append(
                CoachingMilestone(
                    action=action,
                    title=f"Étape {order + 1}",
                    due_on=due_on,
                    order=order,
                    done_on=min(due_on, REFERENCE.date() - timedelta(days=3))
                    if active and order == 0
                    else None,
                )
            )
        for week in range(rng.randint(1, 3)):
            starts_at = datetime.combine(action.started_on, datetime.min.time(), UTC) + timedelta(
                weeks=week, hours=13, minutes=30
            )
            meetings.append(
                CoachingMeeting(
                    action=action,
                    starts_at=starts_at,
                    status=MeetingStatus.HELD if starts_at < REFERENCE else MeetingStatus.BOOKED,
                    note="Fiche revue ensemble ; prochaine étape fixée." if starts_at < REFERENCE else "",
                )
            )
    CoachingMilestone.objects.bulk_create(milestones, batch_size=2000)
    CoachingMeeting.objects.bulk_create(meetings, batch_size=2000)


# --- Measuring ----------------------------------------------------------------------------------------------


def signed_in_adviser(town: Any) -> Any:
    """A test client signed in as one of the town's digital advisers, asking as the local host."""
    from django.test import Client

    from centreville.accounts.models import Role, TownRole, User

    user, _created = User.objects.get_or_create(
        email="conseillere@accompagnement-bench.example", defaults={"is_active": True}
    )
    TownRole.objects.get_or_create(user=user, town=town, role=Role.ADVISER)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def last_line(*, merchants: int, p95_ms: float) -> str:
    return f"bench=adviser_page db=postgresql merchants={merchants} p95_ms={p95_ms:.1f} target_ms={TARGET_MS}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.run import setup_django_on

    if not setup_django_on("postgresql", args.postgres_url):
        return 2
    from django.conf import settings
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone

    warnings.filterwarnings("ignore", message="No directory at")  # no collected static files: not needed
    settings.DEBUG = False  # no query log: measure the page, not the debugging
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    town, rebuilt = generate(merchants=args.merchants, seed=args.seed)
    print(
        f"{'generated' if rebuilt else 'kept'} {args.merchants} merchants "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    timezone.now = lambda: REFERENCE  # the page's clock: the day the data was drawn around
    client = signed_in_adviser(town)
    path = reverse("support_manage:followup", args=[town.slug])
    half = args.requests // 2
    timings = measure(client, path, warmup=args.warmup, requests=args.requests - half)
    timings += measure(client, f"{path}?voir=actions-en-panne", warmup=0, requests=half)
    p95 = percentile(timings, 0.95)
    print(
        f"{len(timings)} requests of {path}: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
        f"max {max(timings):.1f} ms",
        flush=True,
    )
    print(last_line(merchants=args.merchants, p95_ms=p95))
    return 0 if p95 <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
