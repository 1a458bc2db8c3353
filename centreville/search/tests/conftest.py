"""A small town centre to search, and its neighbour, both indexed."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from centreville.catalogue.models import Product
from centreville.catalogue.tests.factories import ProductCategoryFactory, ProductFactory
from centreville.search.services import rebuild_index
from centreville.shops.models import Shop, ShopStatus
from centreville.shops.tests.factories import ShopFactory, TradeCategoryFactory
from centreville.towns.models import Town
from centreville.towns.selectors import space_by_slug
from centreville.towns.spaces import Space
from centreville.towns.tests.factories import TownFactory


@dataclass(frozen=True)
class Centre:
    town: Town
    space: Space
    other_town: Town
    other_space: Space
    bakery: Shop
    cheese_shop: Shop
    bookshop: Shop
    draft: Shop
    elsewhere: Shop
    loaf: Product
    camembert: Product
    hidden: Product


@pytest.fixture
def centre(db: None) -> Centre:
    """Argentan's bakery, cheese shop and bookshop (and a draft shop), and Alençon's cheese shop."""
    town = TownFactory.create(name="Argentan", slug="argentan")
    other_town = TownFactory.create(name="Alençon", slug="alencon")
    bread = TradeCategoryFactory.create(name="Boulangerie (essai)", slug="essai-boulangerie")
    cheese = TradeCategoryFactory.create(name="Fromagerie (essai)", slug="essai-fromagerie")
    books = TradeCategoryFactory.create(name="Librairie (essai)", slug="essai-librairie")
    pastries = ProductCategoryFactory.create(name="Pains (essai)", slug="essai-pains")
    dairy = ProductCategoryFactory.create(name="Crèmerie (essai)", slug="essai-cremerie")
    bakery = ShopFactory.create(
        town=town,
        name="Boulangerie du Marché",
        category=bread,
        description="Des pains au levain et des pâtisseries maison, cuits chaque matin.",
    )
    cheese_shop = ShopFactory.create(
        town=town, name="Fromagerie Lemoine", category=cheese, description="Fromages fermiers de Normandie."
    )
    bookshop = ShopFactory.create(
        town=town, name="Librairie des Halles", category=books, description="Romans, cartes et papeterie."
    )
    draft = ShopFactory.create(
        town=town, name="Crèmerie en préparation", category=cheese, status=ShopStatus.DRAFT
    )
    elsewhere = ShopFactory.create(town=other_town, name="Fromagerie d'ailleurs", category=cheese)
    loaf = ProductFactory.create(
        shop=bakery, title="Pain de campagne au levain", description="Cuit au feu de bois.", category=pastries
    )
    ProductFactory.create(
        shop=bakery,
        title="Éclair au chocolat",
        description="Pâte à choux et crème pâtissière au chocolat noir.",
        category=pastries,
    )
    camembert = ProductFactory.create(
        shop=cheese_shop,
        title="Camembert fermier",
        description="Au lait cru, affiné six semaines : un fromage de caractère.",
        category=dairy,
    )
    ProductFactory.create(shop=cheese_shop, title="Plateau de fromages", category=dairy)
    hidden = ProductFactory.create(shop=cheese_shop, title="Livarot secret", is_visible=False)
    ProductFactory.create(shop=draft, title="Brie de Meaux")
    ProductFactory.create(shop=elsewhere, title="Camembert d'Alençon")
    ProductFactory.create(shop=bookshop, title="Carnet de croquis", description="Papier épais.")
    rebuild_index()
    space, other_space = space_by_slug("argentan"), space_by_slug("alencon")
    assert space is not None
    assert other_space is not None
    return Centre(
        town=town,
        space=space,
        other_town=other_town,
        other_space=other_space,
        bakery=bakery,
        cheese_shop=cheese_shop,
        bookshop=bookshop,
        draft=draft,
        elsewhere=elsewhere,
        loaf=loaf,
        camembert=camembert,
        hidden=hidden,
    )
