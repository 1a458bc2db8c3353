"""The demo town's self-diagnostics: the platform's questionnaire, and several Argentan shops that took it
twice, about three months apart, most of them progressing (some with the town's digital adviser), each with
what the platform sees of its page.

The demo merchant's bakery has both, so its result shows progress; its roastery took it once, long ago. With
seven shops, the town's average shows. Written through the support services, so the demo obeys the same
rules as a merchant. Deterministic (one seeded generator per shop) and idempotent: a shop that has any
diagnostic is left as it is. Dates count back from the `today` of the load.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from centreville.accounts.models import Role, TownRole, User
from centreville.shops.models import Shop, ShopStatus
from centreville.support import services_diagnostic
from centreville.support.diagnostic import version_areas
from centreville.support.models import Diagnostic, QuestionnaireVersion
from centreville.support.shop_signals import shop_signals_refresh
from centreville.towns.models import Town

SEED = 2026
FIRST_DAYS_AGO = 95
SECOND_DAYS_AGO = 4
# The demo merchant's shops first, then other published shops of the town, in their slug order.
NAMED_SHOPS = ("boulangerie-lemonnier",)
ONCE_ONLY = ("brulerie-lemonnier",)
OTHER_SHOPS = 5


def _at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _answers(version: QuestionnaireVersion, seed: str, *, level: int) -> dict[int, int | None]:
    """The same low answers for a shop at each level, and at level 1 a better one for most questions."""
    rng = random.Random(seed)
    answers: dict[int, int | None] = {}
    for area in version_areas(version):
        for question in area.questions.all():
            choices = sorted(question.choices.all(), key=lambda c: c.points)
            not_concerned = question.allow_not_concerned and rng.random() < 0.1
            start = rng.randrange(0, max(1, len(choices) - 1))
            better = rng.random() < 0.65
            if not_concerned:
                answers[question.pk] = None
            else:
                answers[question.pk] = choices[min(len(choices) - 1, start + (level if better else 0))].pk
    return answers


def _take(shop: Shop, user: User | None, *, on: date, rng: random.Random, level: int, adviser: bool) -> None:
    assert user is not None
    started = _at(on, 9 + rng.randrange(0, 8), rng.randrange(0, 50))
    taken = services_diagnostic.diagnostic_start(shop=shop, user=user, with_adviser=adviser, at=started)
    answers = _answers(taken.version, f"{SEED}-{shop.slug}", level=level)
    services_diagnostic.diagnostic_answer(diagnostic=taken, answers=answers)
    services_diagnostic.diagnostic_complete(
        diagnostic=taken, at=started + timedelta(minutes=rng.randrange(6, 10))
    )


def demo_diagnostic_load(town: Town, shops: dict[str, Shop], *, today: date) -> int:
    """Diagnostics at two dates for several of the town's shops; returns how many shops got theirs now."""
    services_diagnostic.platform_questionnaire_ensure(
        at=_at(today - timedelta(days=FIRST_DAYS_AGO + 30), 8, 0)
    )
    adviser_role = TownRole.objects.filter(town=town, role=Role.ADVISER).select_related("user").first()
    adviser = adviser_role.user if adviser_role else None
    published = sorted(
        (shop for shop in shops.values() if shop.status == ShopStatus.PUBLISHED), key=lambda shop: shop.slug
    )
    named = [shops[slug] for slug in (*NAMED_SHOPS, *ONCE_ONLY) if slug in shops]
    others = [shop for shop in published if shop not in named][:OTHER_SHOPS]
    done = set(Diagnostic.objects.filter(shop__in=[*named, *others]).values_list("shop_id", flat=True))
    if len(done) < len(named) + len(others):
        # What the platform sees of each shop, stored with each diagnostic (as the daily task would have it).
        shop_signals_refresh(at=_at(today, 6, 0), only_if_older_than_a_day=True)
    loaded = 0
    for index, shop in enumerate([*named, *others]):
        if shop.pk in done:
            continue
        rng = random.Random(f"{SEED}-{shop.slug}")
        member = shop.memberships.select_related("user").order_by("pk").first()
        user = member.user if member else adviser
        with_adviser = member is None or index % 3 == 2
        taker = adviser if with_adviser and adviser else user
        first_day = today - timedelta(days=FIRST_DAYS_AGO + (0 if shop.slug not in ONCE_ONLY else 200))
        _take(shop, taker, on=first_day, rng=rng, level=0, adviser=with_adviser)
        if shop.slug not in ONCE_ONLY:
            _take(shop, taker, on=today - timedelta(days=SECOND_DAYS_AGO + index), rng=rng, level=1,
                  adviser=with_adviser)  # fmt: skip
        loaded += 1
    return loaded
