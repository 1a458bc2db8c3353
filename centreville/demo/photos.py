"""Placeholder photos for the demo: drawn with Pillow, varied, and described by real alternative texts.

Each published demo shop gets a stylised shopfront, and its first products a coloured card with their
initial. They go through the same services as a merchant's uploads, and only where there is no photo yet,
so loading the demo again adds nothing.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from centreville.catalogue.models import Product, ProductPhoto
from centreville.catalogue.photos import product_photo_add
from centreville.shops.models import Shop, ShopPhoto, ShopStatus
from centreville.shops.photos import shop_photo_add
from centreville.towns.models import Town

# The medium rendition's size: each placeholder is encoded twice only (640 and 320 px), which keeps the
# demo load quick.
SIZE = (640, 480)
PRODUCTS_PER_SHOP = 2
# Fixed, so that the demo looks the same on every machine (not imported from .services, which calls us).
SEED = 2026


@dataclass(frozen=True)
class _Colour:
    name: str  # French, invariable (compound colour names do not agree in French)
    rgb: tuple[int, int, int]


STRONG = (
    _Colour("rouge brique", (168, 50, 45)),
    _Colour("vert sapin", (30, 95, 60)),
    _Colour("bleu canard", (20, 95, 110)),
    _Colour("jaune moutarde", (200, 150, 20)),
    _Colour("violet prune", (100, 45, 95)),
    _Colour("orange", (215, 110, 35)),
    _Colour("bleu marine", (25, 45, 100)),
    _Colour("rose framboise", (190, 40, 90)),
)
LIGHT = (
    _Colour("crème", (246, 238, 220)),
    _Colour("bleu ciel", (205, 228, 245)),
    _Colour("vert amande", (215, 238, 210)),
    _Colour("rose poudré", (245, 220, 222)),
    _Colour("gris perle", (230, 232, 235)),
    _Colour("jaune paille", (248, 238, 190)),
)
SHAPES = ("un cercle", "un carré aux coins arrondis", "un losange")


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _backdrop(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    """A soft vertical gradient."""
    mask = Image.linear_gradient("L").resize(SIZE)
    return Image.composite(Image.new("RGB", SIZE, bottom), Image.new("RGB", SIZE, top), mask)


def _shade(rgb: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return (int(rgb[0] * factor), int(rgb[1] * factor), int(rgb[2] * factor))


def shopfront(rng: random.Random) -> tuple[Image.Image, str]:
    """A stylised shopfront: striped awning, shop window, door; and what it shows, in words."""
    awning, wall = rng.choice(STRONG), rng.choice(LIGHT)
    image = _backdrop(wall.rgb, _shade(wall.rgb, 0.85))
    draw = ImageDraw.Draw(image)
    unit = SIZE[0] / 100  # drawn on a grid 100 wide and 75 high, whatever the pixel size

    def box(left: float, top: float, right: float, bottom: float) -> tuple[int, int, int, int]:
        return (round(left * unit), round(top * unit), round(right * unit), round(bottom * unit))

    draw.rectangle(box(0, 66, 100, 75), fill=(150, 150, 150))  # pavement
    stripes = rng.choice((8, 10, 12))
    stripe = 100 / stripes
    for index in range(stripes + 1):
        colour = awning.rgb if index % 2 == 0 else (250, 250, 245)
        draw.rectangle(box(index * stripe, 7, (index + 1) * stripe, 21), fill=colour)
        draw.pieslice(box(index * stripe, 17.5, (index + 1) * stripe, 25), 0, 180, fill=colour)
    frame = _shade(awning.rgb, 0.6)
    door_on_left = rng.random() < 0.5
    door = 7.5 if door_on_left else 72.5
    draw.rectangle(box(door, 29, door + 20, 66), fill=frame)
    draw.rectangle(box(door + 2.5, 31, door + 17.5, 64), fill=(190, 215, 225))
    window = 32.5 if door_on_left else 7.5
    draw.rectangle(box(window, 29, window + 60, 56), fill=frame)
    draw.rectangle(box(window + 2, 31, window + 58, 54), fill=(200, 225, 235))
    for index in range(rng.randint(3, 6)):  # goods on display
        x = window + 6 + index * 8.5
        draw.ellipse(box(x, 44, x + 6, 50), fill=rng.choice(STRONG).rgb)
    description = (
        f"un store rayé {awning.name} et blanc au-dessus d'une vitrine et d'une porte, sur un mur {wall.name}"
    )
    return image, description


def product_card(rng: random.Random, initial: str) -> tuple[Image.Image, str]:
    """A coloured card with a shape carrying the product's initial; and what it shows, in words."""
    background, shape_colour = rng.choice(LIGHT), rng.choice(STRONG)
    image = _backdrop(background.rgb, _shade(background.rgb, 0.9))
    draw = ImageDraw.Draw(image)
    shape = rng.choice(SHAPES)
    cx, cy = SIZE[0] // 2, SIZE[1] // 2
    r = SIZE[1] // 3
    if shape == SHAPES[0]:
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=shape_colour.rgb)
    elif shape == SHAPES[1]:
        draw.rounded_rectangle((cx - r, cy - r, cx + r, cy + r), radius=r // 3, fill=shape_colour.rgb)
    else:
        d = round(r * 1.2)
        draw.polygon([(cx, cy - d), (cx + d, cy), (cx, cy + d), (cx - d, cy)], fill=shape_colour.rgb)
    draw.text((cx, cy), initial, font=_font(round(r * 1.1)), fill=(255, 255, 255), anchor="mm")
    description = (
        f"{shape} {shape_colour.name} portant la lettre « {initial} » en blanc, sur fond {background.name}"
    )
    return image, description


def _jpeg(image: Image.Image, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def demo_photos_load(towns: Iterable[Town]) -> int:
    """Photos for the published shops of `towns` and their first products, where none exist yet.

    Returns how many photos were added.
    """
    shops = list(
        Shop.objects.filter(town__in=list(towns), status=ShopStatus.PUBLISHED)
        .select_related("town")
        .order_by("town_id", "slug")
    )
    with_photos = set(ShopPhoto.objects.filter(shop__in=shops).values_list("shop_id", flat=True))
    products_by_shop: dict[int, list[Product]] = {}
    for product in Product.objects.filter(shop__in=shops, is_visible=True).order_by("shop_id", "title"):
        products_by_shop.setdefault(product.shop_id, []).append(product)
    products_with_photos = set(
        ProductPhoto.objects.filter(product__shop__in=shops).values_list("product_id", flat=True)
    )
    added = 0
    for shop in shops:
        if shop.pk not in with_photos:
            image, description = shopfront(random.Random(f"{SEED}/photos/{shop.town.slug}/{shop.slug}"))
            alt_text = f"Illustration de la devanture de « {_short(shop.name)} » : {description}."
            shop_photo_add(shop=shop, upload=_jpeg(image, f"{shop.slug}.jpg"), alt_text=alt_text)
            added += 1
        for product in products_by_shop.get(shop.pk, [])[:PRODUCTS_PER_SHOP]:
            if product.pk in products_with_photos:
                continue
            product.shop = shop
            initial = next((c for c in product.title if c.isalnum()), "?").upper()
            rng = random.Random(f"{SEED}/photos/{shop.town.slug}/{shop.slug}/{product.slug}")
            image, description = product_card(rng, initial)
            alt_text = f"Illustration pour « {_short(product.title)} » : {description}."
            product_photo_add(product=product, upload=_jpeg(image, f"{product.slug}.jpg"), alt_text=alt_text)
            added += 1
    return added
