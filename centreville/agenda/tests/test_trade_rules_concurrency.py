"""Two managers at once cannot list a 13th Sunday, nor accept two declarations that together pass the 61 days
of a site (PostgreSQL: real concurrent transactions, each in its own thread and connection)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from centreville.agenda import trade_rules
from centreville.agenda.models import BraderieDeclaration, DeclarationStatus, SundayOpening
from centreville.agenda.trade_rules import DeclarationData
from centreville.towns.tests.factories import TownFactory

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and concurrent transactions"
)
pytestmark = [pytest.mark.postgresql, needs_postgresql, pytest.mark.django_db(transaction=True)]


def _run_together(calls: list[Callable[[], object]]) -> list[str]:
    start = threading.Barrier(len(calls))

    def attempt(call: Callable[[], object]) -> str:
        try:
            start.wait()
            call()
            return "ok"
        except ValidationError as error:
            return error.messages[0]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(attempt, calls))


def test_six_managers_adding_at_once_to_eleven_sundays_make_twelve() -> None:
    town = TownFactory.create()
    first = date(2027, 1, 3)
    for week in range(11):
        trade_rules.sunday_add(town=town, day=first + timedelta(weeks=week))

    def adding(day: date) -> Callable[[], object]:
        return lambda: trade_rules.sunday_add(town=town, day=day)

    answers = _run_together([adding(first + timedelta(weeks=week)) for week in range(20, 26)])
    assert answers.count("ok") == 1
    assert SundayOpening.objects.filter(town=town, date__year=2027).count() == 12


def test_two_acceptances_at_once_never_pass_the_sixty_one_days_of_a_site() -> None:
    town = TownFactory.create()

    def declared(first: date, last: date) -> BraderieDeclaration:
        data = DeclarationData(
            declarant_name="Union commerciale",
            site="Place Saint-Martin",
            starts_on=first,
            ends_on=last,
            goods="Vêtements",
            received_on=date(2027, 1, 2),
        )
        return trade_rules.declaration_record(town=town, data=data, actor=None)

    spring = declared(date(2027, 4, 1), date(2027, 5, 10))  # 40 days
    autumn = declared(date(2027, 9, 1), date(2027, 10, 10))  # 40 days
    answers = _run_together(
        [
            lambda: trade_rules.declaration_decide(declaration=spring, accept=True, note=""),
            lambda: trade_rules.declaration_decide(declaration=autumn, accept=True, note=""),
        ]
    )
    assert answers.count("ok") == 1
    assert BraderieDeclaration.objects.filter(town=town, status=DeclarationStatus.ACCEPTED).count() == 1
