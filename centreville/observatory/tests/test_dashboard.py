"""The elected officials' dashboard: each figure of one town only, week by week, compared with the period
before, from a handful of queries, at a clock passed in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import translation

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.activity.models import Metric
from centreville.activity.tests.factories import day_count
from centreville.core.charts import Chart
from centreville.footfall.tests.factories import CountingSiteFactory, import_files, source
from centreville.fulfilment.tests.factories import delivered, order_for
from centreville.observatory import dashboard
from centreville.observatory.dashboard import format_number, period_for, town_dashboard, trend
from centreville.orders.models import Order, OrderEvent, OrderStatus
from centreville.premises.models import UnitState
from centreville.premises.tests.factories import CommercialUnitFactory, OccupancyFactory
from centreville.shops.models import Shop, ShopStatus, ShopStatusChange
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 12, 4, 15, 0, tzinfo=PARIS)  # a Friday afternoon
TODAY = AT.date()


def at(day: date, hour: int = 11) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


# --- Periods and words -----------------------------------------------------------------------------------


def test_four_weeks_end_today_and_compare_with_the_four_before() -> None:
    period = period_for("4-semaines", today=TODAY)

    assert (period.first, period.last) == (date(2026, 11, 7), TODAY)
    assert (period.previous_first, period.previous_last) == (date(2026, 10, 10), date(2026, 11, 6))
    assert period.weeks() == [
        (date(2026, 11, 7), date(2026, 11, 13)),
        (date(2026, 11, 14), date(2026, 11, 20)),
        (date(2026, 11, 21), date(2026, 11, 27)),
        (date(2026, 11, 28), date(2026, 12, 4)),
    ]


def test_twelve_weeks_have_twelve_bars() -> None:
    period = period_for("12-semaines", today=TODAY)

    assert len(period.weeks()) == 12
    assert period.previous_last == period.first - timedelta(days=1)


def test_this_year_compares_with_the_same_dates_last_year() -> None:
    period = period_for("annee", today=TODAY)

    assert (period.first, period.previous_first, period.previous_last) == (
        date(2026, 1, 1),
        date(2025, 1, 1),
        date(2025, 12, 4),
    )
    weeks = period.weeks()
    assert weeks[0][0] == date(2026, 1, 1)
    assert weeks[-1] == (date(2026, 11, 28), TODAY)
    assert period_for("annee", today=date(2028, 2, 29)).previous_last == date(2027, 2, 28)


def test_an_unknown_period_is_four_weeks() -> None:
    assert period_for("toujours", today=TODAY).key == "4-semaines"


@pytest.mark.parametrize(
    ("current", "previous", "direction", "short", "words"),
    [
        (112, 100, "up", "+12 %", "en hausse de 12 % par rapport aux 4 semaines précédentes"),
        (75, 100, "down", "\u221225 %", "en baisse de 25 % par rapport aux 4 semaines précédentes"),
        (100, 100, "flat", "=", "stable par rapport aux 4 semaines précédentes"),
        (0, 0, "flat", "=", "stable par rapport aux 4 semaines précédentes"),
        (3, 0, "up", "contre 0", "en hausse, contre 0 les 4 semaines précédentes"),
        (Decimal("12.50"), Decimal("10.00"), "up", "+25 %", "en hausse de 25 %"),
    ],
)
def test_a_trend_has_an_arrow_a_percentage_and_words(
    current: Any, previous: Any, direction: str, short: str, words: str
) -> None:
    with translation.override("fr"):
        period = period_for("4-semaines", today=TODAY)
        result = trend(current, previous, compared=period.compared, before=period.before)

    assert result.direction == direction
    assert result.short == short
    assert words in result.words


def test_numbers_are_written_the_french_way() -> None:
    with translation.override("fr"):
        assert format_number(12345) == "12\xa0345"
        assert format_number(Decimal("1234.5"), euros=True) == "1\xa0234,50\u00a0€"
    with translation.override("en"):
        assert format_number(12345) == "12,345"
        assert format_number(Decimal("1234.5"), euros=True) == "€1,234.50"


# --- Figures of one town ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Towns:
    town: Town
    other: Town
    bakery: Shop
    bookshop: Shop
    newcomer: Shop


def count(town: Town, metric: str, day: date, n: int, shop: Shop | None = None) -> None:
    day_count(town=town, shop=shop, metric=metric, day=day, count=n)


def placed(shop: Shop, when: datetime, **values: Any) -> Order:
    order = order_for(shop, **values)
    Order.objects.filter(pk=order.pk).update(created_at=when)
    return order


@pytest.fixture
def towns() -> Towns:
    town = TownFactory.create(slug="argentan", timezone="Europe/Paris")
    other = TownFactory.create(slug="alencon", timezone="Europe/Paris")
    bakery = ShopFactory.create(town=town, name="Boulangerie")
    bookshop = ShopFactory.create(town=town, name="Librairie")
    newcomer = ShopFactory.create(town=town, name="Nouvelle", status=ShopStatus.SUBMITTED)
    ShopFactory.create(town=town, name="Brouillon", status=ShopStatus.DRAFT)
    Shop.objects.filter(town=town).update(created_at=at(date(2026, 1, 5)))
    elsewhere = ShopFactory.create(town=other)
    # Activity: this period and the one before, and Alençon's, which must never show in Argentan.
    count(town, Metric.SHOP_VIEW, date(2026, 12, 1), 100, bakery)
    count(town, Metric.PRODUCT_VIEW, date(2026, 12, 1), 12, bakery)
    count(town, Metric.SHOP_VIEW, date(2026, 11, 8), 200, bookshop)
    count(town, Metric.SHOP_VIEW, date(2026, 10, 20), 250, bakery)  # the 4 weeks before
    count(town, Metric.QR_SCAN, date(2026, 11, 30), 7)
    count(town, Metric.QR_SCAN, date(2026, 11, 30), 3, bakery)
    count(town, Metric.SEARCH, date(2026, 12, 3), 1234)
    count(town, Metric.SEARCH_NO_RESULT, date(2026, 12, 3), 5)
    count(other, Metric.SHOP_VIEW, date(2026, 12, 1), 9999, elsewhere)
    count(other, Metric.SEARCH, date(2026, 12, 3), 9999)
    # Orders: two this period (one collected), one before, and Alençon's.
    placed(bakery, at(date(2026, 12, 2)), status=OrderStatus.COLLECTED, items_total=Decimal("1250.50"))
    placed(bookshop, at(date(2026, 11, 10)), items_total=Decimal("30.00"))
    placed(bakery, at(date(2026, 10, 15)), status=OrderStatus.COLLECTED, items_total=Decimal("40.00"))
    placed(elsewhere, at(date(2026, 12, 2)), status=OrderStatus.COLLECTED, items_total=Decimal("999.00"))
    # Deliveries the town paid for, by the day they were handed over.
    for shop, day, subsidy in [
        (bakery, date(2026, 11, 20), "4.00"),
        (bakery, date(2026, 10, 20), "2.00"),
        (elsewhere, date(2026, 11, 20), "5.00"),
    ]:
        order = delivered(shop, at=at(day), fee="5.00", subsidy=subsidy)  # 20,00\u00a0€ of articles
        Order.objects.filter(pk=order.pk).update(created_at=at(day - timedelta(days=1)))
    return Towns(town=town, other=other, bakery=bakery, bookshop=bookshop, newcomer=newcomer)


def chart(board: dashboard.Dashboard, slug: str) -> Chart:
    return next(item for item in board.charts if item.slug == slug)


def test_platform_activity_is_the_towns_own_week_by_week(towns: Towns) -> None:
    with translation.override("fr"):
        board = town_dashboard(towns.town, at=AT, period="4-semaines")

    visits = board.figure("visits")
    assert visits.value == 312
    assert visits.trend is not None
    assert visits.trend.words == "en hausse de 25 % par rapport aux 4 semaines précédentes"
    assert board.figure("scans").value == 10
    assert board.figure("searches").shown == "1\xa0234"
    assert board.figure("unfound").value == 5
    weekly = chart(board, "visites")
    assert weekly.kind == "stacked"
    assert [category.key for category in weekly.categories] == [
        "2026-11-07",
        "2026-11-14",
        "2026-11-21",
        "2026-11-28",
    ]
    assert weekly.categories[0].label == "7 nov."
    assert [list(series.values) for series in weekly.series] == [[200, 0, 0, 100], [0, 0, 0, 12]]
    scans = chart(board, "scans-recherches")
    assert [series.label for series in scans.series] == [
        "Scans des QR codes",
        "Recherches",
        "Recherches sans résultat",
    ]
    assert [list(series.values) for series in scans.series] == [[0, 0, 0, 10], [0, 0, 0, 1234], [0, 0, 0, 5]]


def test_click_and_collect_orders_sales_and_subsidy_of_the_town(towns: Towns) -> None:
    with translation.override("fr"):
        board = town_dashboard(towns.town, at=AT, period="4-semaines")

    orders, sales, subsidy = board.figure("orders"), board.figure("sales"), board.figure("subsidy")
    assert orders.value == 3
    assert orders.trend is not None
    assert orders.trend.words == "en hausse de 50 % par rapport aux 4 semaines précédentes"
    assert list(chart(board, "commandes").series[0].values) == [1, 1, 0, 1]
    assert sales.value == Decimal("1270.50")
    assert sales.shown == "1\xa0270,50\u00a0€"
    assert subsidy.value == Decimal("4.00")
    assert subsidy.trend is not None
    assert subsidy.trend.words == "en hausse de 100 % par rapport aux 4 semaines précédentes"
    money = chart(board, "ventes")
    assert (money.unit, [series.decimals for series in money.series]) == ("€", [2, 2])
    assert [list(series.values) for series in money.series] == [
        [Decimal("0.00"), Decimal("20.00"), 0, Decimal("1250.50")],
        [0, Decimal("4.00"), 0, 0],
    ]


def test_shops_published_and_active(towns: Towns) -> None:
    # The newcomer was published ten days ago: not yet at the start of the period.
    Shop.objects.filter(pk=towns.newcomer.pk).update(status=ShopStatus.PUBLISHED)
    change = ShopStatusChange.objects.create(
        shop=towns.newcomer, from_status=ShopStatus.SUBMITTED, to_status=ShopStatus.PUBLISHED
    )
    ShopStatusChange.objects.filter(pk=change.pk).update(created_at=at(date(2026, 11, 24)))
    # The bakery updated its products recently; the bookshop handled an order five weeks ago only.
    count(towns.town, Metric.MERCHANT_UPDATE, date(2026, 11, 25), 3, towns.bakery)
    merchant = UserFactory.create()
    order = placed(towns.bookshop, at(date(2026, 10, 28)))
    event = OrderEvent.objects.create(
        order=order, from_status=OrderStatus.PLACED, to_status=OrderStatus.ACCEPTED, actor=merchant
    )
    OrderEvent.objects.filter(pk=event.pk).update(created_at=at(date(2026, 10, 29)))
    count(towns.other, Metric.MERCHANT_UPDATE, date(2026, 11, 25), 3, ShopFactory.create(town=towns.other))

    with translation.override("fr"):
        board = town_dashboard(towns.town, at=AT, period="4-semaines")

    published, active, share = board.section("commerces").figures
    assert published.value == 3
    assert published.trend is not None
    assert published.trend.words == "en hausse de 50 % par rapport au 7 novembre 2026"
    assert active.value == 1
    assert active.trend is not None
    assert active.trend.direction == "flat"  # one active shop then, one now
    assert (share.value, share.shown, share.trend) == (33, "33 %", None)
    assert share.note == "1 sur 3 publiés."


def test_the_dashboard_costs_a_handful_of_queries(towns: Towns, django_assert_max_num_queries: Any) -> None:
    for n in range(10):
        shop = ShopFactory.create(town=towns.town)
        count(towns.town, Metric.MERCHANT_UPDATE, date(2026, 11, 1) + timedelta(days=n), 1, shop)
        placed(shop, at(date(2026, 11, 1) + timedelta(days=n)))

    # Vacancy and footfall ask once whether the town records units and counts; the town's event days are
    # read once for the charts' marks and the crossed view; the car parks' occupancy by day once; the
    # vouchers ask once whether the town runs a programme.
    with django_assert_max_num_queries(12):
        town_dashboard(towns.town, at=AT, period="annee")


def test_an_elected_official_sees_the_figures_in_french_with_words_for_screen_readers(
    client: Client, towns: Towns, django_assert_max_num_queries: Any, page_clock: Callable[[datetime], None]
) -> None:
    page_clock(AT)
    client.force_login(TownRoleFactory.create(town=towns.town, role=Role.ELECTED).user)

    with django_assert_max_num_queries(22):
        page = client.get("/argentan/tableau-de-bord/?periode=12-semaines").content.decode()

    assert 'href="?periode=12-semaines" aria-current="page"' in page
    assert "1\xa0234" in page
    assert "1\xa0330,50\u00a0€" in page  # twelve weeks: the October orders too
    assert '<span class="visually-hidden">en hausse' in page
    assert '<figure class="chart-block" id="graphique-visites" data-chart="stacked"' in page
    assert "Voir les données" in page
    assert "js/vendor/chartjs-4.6.2/chart.umd.min.js" in page
    assert "?periode=12-semaines&amp;csv=ventes" in page
    assert "9999" not in page
    assert "9\xa0999" not in page


def test_a_merchant_cannot_see_the_dashboard(client: Client, towns: Towns) -> None:
    from centreville.shops.tests.factories import ShopMembershipFactory

    client.force_login(ShopMembershipFactory.create(shop=towns.bakery).user)

    assert client.get("/argentan/tableau-de-bord/").status_code == 403


# --- The town centre: vacancy, footfall, crossed views ------------------------------------------------------


def _town_centre_units(town: Town, bakery: Shop) -> None:
    """Four units in the centre and one outside it; two of the centre's vacant now, one a year before."""
    since = date(2024, 1, 1)
    units: list[tuple[Shop | None, str, str, list[tuple[str, date, date | None]]]] = [
        (bakery, "", "100", [(UnitState.OCCUPIED, since, None)]),
        (None, "Banque", "50", [(UnitState.OCCUPIED, since, None)]),
        (
            None,
            "",
            "30",
            [(UnitState.OCCUPIED, since, date(2025, 5, 31)), (UnitState.VACANT, date(2025, 6, 1), None)],
        ),
        (
            None,
            "",
            "20",
            [(UnitState.OCCUPIED, since, date(2026, 3, 31)), (UnitState.VACANT, date(2026, 4, 1), None)],
        ),
    ]
    for shop, name, surface, periods in units:
        unit = CommercialUnitFactory.create(town=town, surface=Decimal(surface), in_centre=True)
        for state, start, end in periods:
            occupied = state == UnitState.OCCUPIED
            OccupancyFactory.create(
                unit=unit,
                state=state,
                start=start,
                end=end,
                shop=shop if occupied else None,
                occupant_name=(name or "Occupant") if occupied and shop is None else "",
            )
    outside = CommercialUnitFactory.create(town=town, in_centre=False, street="route de Paris")
    OccupancyFactory.create(unit=outside, state=UnitState.VACANT, start=since)


def test_the_centres_vacancy_today_against_a_year_before_in_points(towns: Towns) -> None:
    _town_centre_units(towns.town, towns.bakery)

    board = town_dashboard(towns.town, at=AT)

    rate, surface, vacant = board.section("vacance").figures
    assert (rate.shown, rate.note) == ("50,0 %", "2 locaux vacants sur 4.")
    assert rate.trend is not None
    assert (rate.trend.short, rate.trend.words) == (
        "+25,0 pt",
        "en hausse de 25,0 pt par rapport au 4 décembre 2025",
    )
    assert surface.shown == "25,0 %"  # 50 m² of 200
    assert surface.trend is not None
    assert surface.trend.short == "+10,0 pt"  # 30 m² of 200 a year before
    assert (vacant.shown, vacant.trend.short if vacant.trend else None) == ("2", "+100 %")
    over_time = chart(board, "vacance-par-mois")
    assert len(over_time.categories) == dashboard.VACANCY_MONTHS
    assert over_time.series[0].values[-1] == Decimal("50.0")
    by_street = chart(board, "vacance-par-rue")  # the crossed view, every street of the town
    assert [category.label for category in by_street.categories] == ["route de Paris", "rue de la République"]
    assert by_street.series[0].values == [Decimal("100.0"), Decimal("50.0")]


def test_the_share_of_the_centres_occupied_units_whose_shop_is_active_on_the_platform(towns: Towns) -> None:
    _town_centre_units(towns.town, towns.bakery)
    count(towns.town, Metric.MERCHANT_UPDATE, date(2026, 12, 1), 1, towns.bakery)

    share = town_dashboard(towns.town, at=AT).figure("centre-active-share")

    assert (share.value, share.shown) == (50, "50 %")  # the bakery; the bank is not on the platform
    assert share.note == (
        "1 des 2 locaux occupés du centre-ville abritent un commerce publié et actif sur la plateforme."
    )


def test_without_units_or_counters_the_dashboard_has_no_vacancy_or_footfall(towns: Towns) -> None:
    board = town_dashboard(towns.town, at=AT)

    assert [section.key for section in board.sections] == ["commerces", "plateforme", "click-collect"]


def _hourly_counts(first: date, last: date, per_hour: int, *, skip: tuple[date, date] | None = None) -> str:
    lines = ["Date;Entrée"]
    day = first
    while day <= last:
        if skip is None or not skip[0] <= day <= skip[1]:
            lines.extend(f"{day:%d/%m/%Y} {hour:02d}:00;{per_hour}" for hour in range(24))
        day += timedelta(days=1)
    return "\n".join(lines) + "\n"


def _counter(town: Town, *, skip: tuple[date, date] | None = None) -> None:
    """A pedestrian counter: 10 passages an hour these 4 weeks, 8 on the same weekdays a year before."""
    site = CountingSiteFactory.create(town=town, name="Grande Rue")
    this_year = _hourly_counts(date(2026, 11, 7), TODAY, 10, skip=skip)
    last_year = _hourly_counts(date(2025, 11, 8), date(2025, 12, 5), 8)
    report = import_files(
        town, source("cette-annee.csv", this_year), source("l-an-dernier.csv", last_year), site=site
    )
    assert report.rejected == 0


def test_footfall_over_the_period_against_the_same_weekdays_a_year_before(towns: Towns) -> None:
    _counter(towns.town)

    board = town_dashboard(towns.town, at=AT)

    (passages,) = board.section("passages").figures
    # Up to yesterday, the last complete day: 27 days × 24 h × 10; today is not over.
    assert (passages.label, passages.shown) == ("Passages : Piétons", "6\xa0480")
    assert passages.trend is not None
    assert passages.trend.words == (  # 5 184 a year before: 27 × 24 × 8
        "en hausse de 25,0 % par rapport aux mêmes jours de la semaine, un an plus tôt"
    )
    crossed = chart(board, "passages-et-visites")
    # 1 680 passages every week; this week is not counted to its end yet: a gap, not a fall.
    assert crossed.series[0].values == [100, 100, 100, None]
    # Visits: 200, 0, 0 and 112 (their mean, 78, is 100).
    assert crossed.series[1].values == [256, 0, 0, 144]


def test_a_week_without_counts_is_a_gap_and_the_year_is_not_compared(towns: Towns) -> None:
    _counter(towns.town, skip=(date(2026, 11, 14), date(2026, 11, 20)))

    board = town_dashboard(towns.town, at=AT)

    (passages,) = board.section("passages").figures
    assert passages.shown == "4\xa0800"  # 20 days counted up to yesterday
    assert passages.trend is None
    assert passages.note.startswith("Pas de comparaison avec l'an dernier")
    assert chart(board, "passages-et-visites").series[0].values == [100, None, 100, None]


def test_vacancy_and_footfall_cost_the_same_queries_whatever_their_size(
    towns: Towns, django_assert_max_num_queries: Any
) -> None:
    _town_centre_units(towns.town, towns.bakery)
    _counter(towns.town)
    for _n in range(20):
        _town_centre_units(towns.town, towns.bakery)

    # A kind of counter's days are read once (its channels, then their days) for every figure and chart;
    # the town's event days once, the car parks' occupancy once, whether the town runs vouchers once.
    with django_assert_max_num_queries(17):
        town_dashboard(towns.town, at=AT, period="annee")
