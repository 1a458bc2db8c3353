"""Fictional French towns, shops and products for benchmarks, written in bulk.

Bench towns are recognised by their slug prefix `bench-` and get INSEE codes that no commune uses
(96000 to 96999, 20000 to 20999, then 00000 to 00999: there are no départements 96 and 00, and Corsica has
used 2A/2B since 1976).
Generation is idempotent: bench data made with the same size, seed and vocabulary is kept as it is;
any other bench data is deleted (with its shops and products) and generated again.
Needs a configured Django; `bench.generate` is the command line.
"""

from __future__ import annotations

import hashlib
import random
import string
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from centreville.catalogue.models import Product
from centreville.demo.vocabulary import FIRST_NAMES, STREET_NAMES, SURNAMES, TOWN_NAME_PARTS, TRADES, Trade
from centreville.shops.models import Shop, ShopStatus, TradeCategory, validate_opening_hours
from centreville.shops.taxonomy import TRADE_CATEGORIES
from centreville.towns.models import Territory, Town

SLUG_PREFIX = "bench-"
GENERATOR_VERSION = 1
INSEE_RANGES = ((96000, 1000), (20000, 1000), (0, 1000))  # (first code, how many)
MAX_TOWNS = sum(count for _, count in INSEE_RANGES)
SHOP_BATCH = 1000
PRODUCT_BATCH = 2000
PLACEHOLDERS = frozenset({"surname", "first_name", "street"})

# (département, telephone zone, latitude, longitude) of inland market towns of mainland France.
DEPARTEMENTS: tuple[tuple[str, str, float, float], ...] = (
    ("61", "02", 48.744, -0.020),
    ("14", "02", 49.276, -0.703),
    ("50", "02", 49.048, -1.445),
    ("35", "02", 48.124, -1.209),
    ("56", "02", 48.068, -2.963),
    ("49", "02", 47.260, -0.077),
    ("37", "02", 47.128, 0.995),
    ("41", "02", 47.793, 1.066),
    ("45", "02", 48.172, 2.252),
    ("28", "02", 48.321, 0.822),
    ("27", "02", 49.089, 0.598),
    ("76", "02", 49.617, 0.754),
    ("80", "03", 50.105, 1.834),
    ("59", "03", 50.176, 3.235),
    ("02", "03", 49.564, 3.620),
    ("51", "03", 49.041, 3.959),
    ("10", "03", 48.233, 4.706),
    ("88", "03", 48.017, 6.591),
    ("68", "03", 47.908, 7.210),
    ("21", "03", 47.025, 4.840),
    ("71", "03", 46.951, 4.299),
    ("39", "03", 47.094, 5.490),
    ("01", "04", 45.759, 5.688),
    ("38", "04", 45.364, 5.589),
    ("26", "04", 44.558, 4.751),
    ("84", "04", 44.055, 5.048),
    ("30", "04", 44.012, 4.420),
    ("34", "04", 43.731, 3.319),
    ("11", "04", 43.055, 2.218),
    ("81", "05", 43.606, 2.241),
    ("32", "05", 43.958, 0.372),
    ("64", "05", 43.194, -0.607),
    ("40", "05", 43.710, -1.053),
    ("24", "05", 44.890, 1.216),
    ("46", "05", 44.609, 2.032),
    ("17", "05", 45.746, -0.633),
    ("16", "05", 45.696, -0.329),
    ("87", "05", 45.888, 0.901),
    ("19", "05", 45.159, 1.533),
    ("15", "04", 45.034, 3.093),
    ("63", "04", 45.856, 3.548),
    ("03", "04", 46.340, 2.603),
    ("18", "02", 47.222, 2.068),
    ("36", "02", 46.949, 1.993),
    ("86", "05", 46.817, 0.546),
    ("79", "05", 46.649, -0.247),
    ("85", "02", 46.466, -0.806),
    ("44", "02", 47.717, -1.376),
    ("53", "02", 47.829, -0.703),
    ("72", "02", 47.698, -0.076),
)
BRAND_COLOURS = ("#1d4e89", "#7a1f2b", "#2f5d3a", "#5b3f8c", "#8a4b08", "#0f5e64", "#3d3d3d", "#a3312a")
# Suffixes that keep product titles (and slugs) unique when a shop sells more products than its trade has
# ideas, with the price factor each implies.
VARIANTS: tuple[tuple[str, Decimal], ...] = (
    ("édition limitée", Decimal("1.20")),
    ("grand format", Decimal("1.50")),
    ("petit format", Decimal("0.70")),
    ("lot de 2", Decimal("1.90")),
    ("coffret cadeau", Decimal("2.20")),
    ("série spéciale", Decimal("1.10")),
    ("modèle d'exposition", Decimal("0.80")),
)
SHOP_PRICE_FACTORS = tuple(Decimal(f) for f in ("0.90", "0.95", "1.00", "1.00", "1.05", "1.10", "1.15"))
STOCKS: tuple[int | None, ...] = (None, None, 0, 1, 2, 3, 5, 8, 10, 12, 20, 24, 30, 50)
CENT = Decimal("0.01")
FIVE_CENTS = Decimal("0.05")


@dataclass(frozen=True)
class Size:
    towns: int
    shops_per_town: int
    products_per_shop: int

    @property
    def shops(self) -> int:
        return self.towns * self.shops_per_town

    @property
    def products(self) -> int:
        return self.shops * self.products_per_shop


@dataclass(frozen=True)
class Counts:
    towns: int
    shops: int
    products: int


@dataclass(frozen=True)
class GenerationResult:
    counts: Counts
    first_town_slug: str
    reused: bool
    method: str
    seconds: float


@dataclass(frozen=True)
class ProductTemplate:
    title: str
    slug: str
    description: str
    prices: tuple[Decimal, ...]  # one per SHOP_PRICE_FACTORS


@dataclass(frozen=True)
class TradePlan:
    trade: Trade
    category: TradeCategory
    products: tuple[ProductTemplate, ...]


@dataclass(frozen=True)
class TownPlan:
    index: int
    name: str
    slug: str
    insee_code: str
    postcode: str
    phone_zone: str
    latitude: float
    longitude: float


def vocabulary_digest() -> str:
    """Changes whenever the vocabulary or the taxonomy does, so that stale bench data is regenerated."""
    material = repr(
        (GENERATOR_VERSION, TRADES, SURNAMES, FIRST_NAMES, STREET_NAMES, TOWN_NAME_PARTS, TRADE_CATEGORIES)
    )
    return hashlib.sha256(material.encode()).hexdigest()[:12]


def signature(size: Size, seed: int) -> str:
    return (
        f"[bench v{GENERATOR_VERSION} seed={seed} "
        f"size={size.towns}x{size.shops_per_town}x{size.products_per_shop} vocab={vocabulary_digest()}]"
    )


def insee_code(index: int) -> str:
    for first, count in INSEE_RANGES:
        if index < count:
            return f"{first + index:05d}"
        index -= count
    raise ValueError(f"at most {MAX_TOWNS} bench towns")


def town_slug(index: int, name: str) -> str:
    return f"{SLUG_PREFIX}{index + 1:04d}-{slugify(name)}"[:60].rstrip("-")


def first_town_slug() -> str:
    """The first bench town is always named from the first parts of TOWN_NAME_PARTS."""
    return town_slug(0, _join_name(TOWN_NAME_PARTS[0][0], TOWN_NAME_PARTS[1][0]))


def bench_towns() -> models.QuerySet[Town]:
    return Town.objects.filter(slug__startswith=SLUG_PREFIX)


def bench_counts() -> Counts:
    towns = bench_towns()
    return Counts(
        towns=towns.count(),
        shops=Shop.objects.filter(town__in=towns).count(),
        products=Product.objects.filter(town__in=towns).count(),
    )


def ensure_categories() -> dict[str, TradeCategory]:
    """The taxonomy's trade categories by slug, created when the data migration has not (yet) made them.

    Like the migration, an existing category is matched on its slug, or on its name if made by hand.
    """
    categories = {}
    for position, spec in enumerate(TRADE_CATEGORIES):
        category = (
            TradeCategory.objects.filter(slug=spec.slug).first()
            or TradeCategory.objects.filter(name=spec.name).first()
            or TradeCategory.objects.create(
                name=spec.name, slug=spec.slug, naf_codes=list(spec.naf_codes), position=position
            )
        )
        categories[spec.slug] = category
    return categories


def delete_bench_data() -> int:
    """Delete every bench town with its shops and products; return how many towns went."""
    towns = bench_towns()
    with transaction.atomic():
        Product.objects.filter(town__in=towns).delete()
        Shop.objects.filter(town__in=towns).delete()
        deleted = towns.count()
        towns.delete()
    return deleted


def generate(
    size: Size,
    *,
    seed: int = 0,
    method: str = "auto",
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> GenerationResult:
    """Make sure the bench data of `size` is in the database, generating it unless it already is."""
    started = time.perf_counter()
    if not 1 <= size.towns <= MAX_TOWNS or size.shops_per_town < 0 or size.products_per_shop < 0:
        raise ValueError(f"towns must be within 1 to {MAX_TOWNS}; shops and products must not be negative")
    if method == "auto":
        method = "copy" if connection.vendor == "postgresql" else "bulk"
    if method not in ("bulk", "copy") or (method == "copy" and connection.vendor != "postgresql"):
        raise ValueError(f"unknown method {method!r} for {connection.vendor} (bulk, or copy on PostgreSQL)")

    categories = ensure_categories()
    trades = plan_trades(categories, size.products_per_shop)
    mark = signature(size, seed)
    first = bench_towns().order_by("slug").first()
    if not force and first is not None and _matches(first, size, mark):
        return GenerationResult(
            bench_counts(), first.slug, reused=True, method=method, seconds=time.perf_counter() - started
        )

    delete_bench_data()
    rng = random.Random(seed)
    towns = plan_towns(rng, size.towns)
    _check_free(towns)
    for done, town in enumerate(towns, start=1):
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            _create_town(rng, town, trades, size, mark, method)
        if progress is not None:
            progress(done, size.towns)
    _refresh_statistics()
    return GenerationResult(
        bench_counts(), towns[0].slug, reused=False, method=method, seconds=time.perf_counter() - started
    )


def plan_trades(categories: dict[str, TradeCategory], products_per_shop: int) -> list[TradePlan]:
    """Check the vocabulary once, and work out each trade's product titles, slugs and prices."""
    plans = []
    for trade in TRADES:
        category = categories.get(trade.category_slug)
        if category is None:
            print(
                f"warning: trade {trade.category_slug!r} is not in TRADE_CATEGORIES; its shops are left out",
                file=sys.stderr,
            )
            continue
        if not trade.shop_name_patterns or not trade.opening_hours or not trade.products:
            raise ValueError(f"trade {trade.category_slug!r} needs shop names, opening hours and products")
        for pattern in trade.shop_name_patterns:
            unknown = {name for _, name, _, _ in string.Formatter().parse(pattern) if name} - PLACEHOLDERS
            if unknown:
                raise ValueError(f"shop name pattern {pattern!r} uses unknown placeholders {sorted(unknown)}")
        for hours in trade.opening_hours:
            validate_opening_hours(hours)  # ValidationError names the bad string
        plans.append(TradePlan(trade, category, _product_templates(trade, products_per_shop)))
    if not plans:
        raise ValueError("no trade of the vocabulary matches a trade category")
    return plans


def _product_templates(trade: Trade, count: int) -> tuple[ProductTemplate, ...]:
    templates = []
    slugs: set[str] = set()
    for index in range(count):
        idea = trade.products[index % len(trade.products)]
        rounds = index // len(trade.products)
        title, price = idea.title, idea.price
        if rounds:
            variant, factor = VARIANTS[(rounds - 1) % len(VARIANTS)]
            title = f"{title}, {variant}"
            price *= factor
            if rounds > len(VARIANTS):
                title += f" n° {(rounds - 1) // len(VARIANTS) + 1}"
        title = title[:160]
        slug = base = slugify(title)[:170].strip("-") or "produit"
        suffix = 2
        while slug in slugs:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        slugs.add(slug)
        prices = tuple(_round_price(price * factor) for factor in SHOP_PRICE_FACTORS)
        templates.append(ProductTemplate(title, slug, idea.description, prices))
    return tuple(templates)


def _round_price(price: Decimal) -> Decimal:
    if price >= 1:
        return ((price / FIVE_CENTS).quantize(Decimal(1), ROUND_HALF_UP) * FIVE_CENTS).quantize(CENT)
    return max(price, Decimal(0)).quantize(CENT, ROUND_HALF_UP)


def _join_name(*parts: str) -> str:
    return "-".join(part.strip(" -") for part in parts if part.strip(" -"))


def plan_towns(rng: random.Random, count: int) -> list[TownPlan]:
    firsts, seconds = TOWN_NAME_PARTS
    plans = []
    for index in range(count):
        if index == 0:
            name = _join_name(firsts[0], seconds[0])
        elif rng.random() < 0.25:
            name = rng.choice(firsts)
        else:
            name = _join_name(rng.choice(firsts), rng.choice(seconds))
        departement, zone, latitude, longitude = rng.choice(DEPARTEMENTS)
        plans.append(
            TownPlan(
                index=index,
                name=name,
                slug=town_slug(index, name),
                insee_code=insee_code(index),
                postcode=f"{departement}{rng.randrange(100, 1000, 10)}",
                phone_zone=zone,
                latitude=latitude + rng.uniform(-0.05, 0.05),
                longitude=longitude + rng.uniform(-0.05, 0.05),
            )
        )
    return plans


def _check_free(towns: list[TownPlan]) -> None:
    codes = [town.insee_code for town in towns]
    taken = sorted(Town.objects.filter(insee_code__in=codes).values_list("insee_code", flat=True))
    if taken:
        raise ValueError(f"INSEE codes kept for bench towns are used by other towns: {', '.join(taken[:10])}")
    slugs = Territory.objects.filter(slug__in=[town.slug for town in towns]).values_list("slug", flat=True)
    if slugs:
        raise ValueError(f"territories already use bench town slugs: {', '.join(slugs[:10])}")


def _matches(first: Town, size: Size, mark: str) -> bool:
    return first.welcome_text.endswith(mark) and bench_counts() == Counts(
        size.towns, size.shops, size.products
    )


def _coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def _create_town(
    rng: random.Random, plan: TownPlan, trades: list[TradePlan], size: Size, mark: str, method: str
) -> None:
    lat, lon, d = round(plan.latitude, 6), round(plan.longitude, 6), 0.003
    town = Town.objects.create(
        name=plan.name,
        slug=plan.slug,
        insee_code=plan.insee_code,
        postcodes=[plan.postcode],
        latitude=_coordinate(lat),
        longitude=_coordinate(lon),
        centre_outline={
            "type": "Polygon",
            "coordinates": [
                [
                    [round(lon + x, 6), round(lat + y, 6)]
                    for x, y in ((-d, -d), (d, -d), (d, d), (-d, d), (-d, -d))
                ]
            ],
        },
        brand_colour=rng.choice(BRAND_COLOURS),
        welcome_text=(
            f"Bienvenue dans le centre-ville de {plan.name} : ses commerces indépendants, leurs produits "
            f"et leurs horaires. Ville fictive, créée pour les mesures de performance. {mark}"
        ),
        contact_email=f"centre-ville@{plan.slug}.example",
        is_published=True,
    )
    shops, shop_trades = _shops(rng, plan, town, trades, size)
    Shop.objects.bulk_create(shops, batch_size=SHOP_BATCH)
    if any(shop.pk is None for shop in shops):  # backends that cannot return ids from a bulk insert
        ids = dict(Shop.objects.filter(town=town).values_list("slug", "pk"))
        for shop in shops:
            shop.pk = ids[shop.slug]
    if size.products_per_shop:
        now = timezone.now()
        rows = _product_rows(rng, town.pk, shops, shop_trades, size.products_per_shop, now)
        if method == "copy":
            _copy_products(rows)
        else:
            _bulk_create_products(rows)


def _shops(
    rng: random.Random, plan: TownPlan, town: Town, trades: list[TradePlan], size: Size
) -> tuple[list[Shop], list[TradePlan]]:
    shops: list[Shop] = []
    shop_trades: list[TradePlan] = []
    names: set[str] = set()
    slugs: set[str] = set()
    for number in range(size.shops_per_town):
        trade_plan = trades[(plan.index * size.shops_per_town + number) % len(trades)]
        trade = trade_plan.trade
        street = rng.choice(STREET_NAMES)
        name = ""
        for _ in range(4):
            name = rng.choice(trade.shop_name_patterns).format(
                surname=rng.choice(SURNAMES), first_name=rng.choice(FIRST_NAMES), street=street
            )[:120]
            if name not in names:
                break
        if name in names:
            name = f"{name[:90]} ({street})"[:120]
        base, suffix = name, 2
        while name in names:
            name, suffix = f"{base[:112]} {suffix}", suffix + 1
        names.add(name)
        slug = base_slug = slugify(name)[:130].strip("-") or "commerce"
        suffix = 2
        while slug in slugs:
            slug, suffix = f"{base_slug}-{suffix}", suffix + 1
        slugs.add(slug)
        pairs = " ".join(f"{rng.randrange(100):02d}" for _ in range(3))
        phone = f"{plan.phone_zone} {rng.randrange(10, 100)} {pairs}"
        shops.append(
            Shop(
                town=town,
                name=name,
                slug=slug,
                category=trade_plan.category,
                description=(
                    f"{trade_plan.category.name}, commerce indépendant du centre-ville de {plan.name}."
                ),
                street_address=f"{rng.randint(1, 120)} {street}"[:200],
                postcode=plan.postcode,
                city=plan.name[:120],
                latitude=_coordinate(plan.latitude + rng.uniform(-0.003, 0.003)),
                longitude=_coordinate(plan.longitude + rng.uniform(-0.003, 0.003)),
                opening_hours=rng.choice(trade.opening_hours),
                phone=phone,
                email=f"{slug[:48].strip('-')}@commerces.example" if rng.random() < 0.4 else "",
                status=ShopStatus.PUBLISHED,
            )
        )
        shop_trades.append(trade_plan)
    return shops, shop_trades


# Product columns the generator fills itself, in this order; any other column gets its default.
PRODUCT_FIELDS = (
    "created_at",
    "updated_at",
    "town",
    "shop",
    "title",
    "slug",
    "description",
    "price",
    "stock",
    "is_visible",
)


def _product_rows(
    rng: random.Random,
    town_id: int,
    shops: list[Shop],
    shop_trades: list[TradePlan],
    per_shop: int,
    now: datetime,
) -> Iterator[tuple[Any, ...]]:
    """Rows in PRODUCT_FIELDS order."""
    factors = len(SHOP_PRICE_FACTORS)
    for shop, trade_plan in zip(shops, shop_trades, strict=True):
        factor = rng.randrange(factors)
        for template in trade_plan.products[:per_shop]:
            yield (
                now,
                now,
                town_id,
                shop.pk,
                template.title,
                template.slug,
                template.description,
                template.prices[factor],
                rng.choice(STOCKS),
                rng.random() < 0.97,
            )


def _other_product_columns() -> tuple[list[str], tuple[Any, ...]]:
    """Columns of Product this generator does not know about, with the values they take."""
    columns, values = [], []
    for field in Product._meta.concrete_fields:
        if field.primary_key or field.name in PRODUCT_FIELDS:
            continue
        if field.has_default():
            value = field.get_db_prep_save(field.get_default(), connection)
        elif field.null:
            value = None
        elif field.blank and field.empty_strings_allowed:
            value = ""  # an optional text field (e.g. reference): empty, as a form would leave it
        else:
            raise ValueError(f"Product.{field.name} is required: teach bench.dataset how to fill it")
        columns.append(field.column)
        values.append(value)
    return columns, tuple(values)


def _copy_products(rows: Iterator[tuple[Any, ...]]) -> None:
    """PostgreSQL COPY through psycopg 3: an order of magnitude faster than INSERT for a million rows."""
    quote = connection.ops.quote_name
    by_name = {field.name: field.column for field in Product._meta.concrete_fields}
    columns = [by_name[name] for name in PRODUCT_FIELDS]
    extra_columns, extra_values = _other_product_columns()
    names = ", ".join(quote(column) for column in columns + extra_columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {quote(Product._meta.db_table)} ({names}) FROM STDIN") as copy:
            if extra_values:
                for row in rows:
                    copy.write_row(row + extra_values)
            else:
                for row in rows:
                    copy.write_row(row)


def _bulk_create_products(rows: Iterator[tuple[Any, ...]]) -> None:
    batch: list[Product] = []
    for row in rows:
        _, _, town_id, shop_id, title, slug, description, price, stock, is_visible = row
        batch.append(
            Product(
                town_id=town_id,
                shop_id=shop_id,
                title=title,
                slug=slug,
                description=description,
                price=price,
                stock=stock,
                is_visible=is_visible,
            )
        )
        if len(batch) >= PRODUCT_BATCH:
            Product.objects.bulk_create(batch, batch_size=PRODUCT_BATCH)
            batch = []
    if batch:
        Product.objects.bulk_create(batch, batch_size=PRODUCT_BATCH)


def _refresh_statistics() -> None:
    """Give PostgreSQL's planner fresh statistics and a clean visibility map, as autovacuum eventually would.

    Done here so that autovacuum does not wake up in the middle of a measurement.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = ", ".join(
        connection.ops.quote_name(model._meta.db_table) for model in (TradeCategory, Town, Shop, Product)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")
