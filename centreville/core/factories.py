"""factory_boy factories for every domain, shared by the test suites of all apps."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from centreville.accounts.models import Role, TownRole, User
from centreville.catalogue.models import Product, ProductCategory, ProductVariant
from centreville.shops.models import Shop, ShopClosure, ShopMembership, ShopStatus, TradeCategory
from centreville.towns.models import Territory, Town

DEFAULT_PASSWORD = "motdepasse-de-test-42"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(obj: User, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Accounts are usable at once unless `verified=False` is asked for."""
        if create:
            obj.save()
            if extracted is not False:
                from allauth.account.models import EmailAddress

                EmailAddress.objects.update_or_create(
                    user=obj, email=obj.email, defaults={"verified": True, "primary": True}
                )


class TerritoryFactory(DjangoModelFactory[Territory]):
    class Meta:
        model = Territory

    name = factory.Sequence(lambda n: f"Pays de Test {n}")
    slug = factory.Sequence(lambda n: f"pays-test-{n}")


class TownFactory(DjangoModelFactory[Town]):
    class Meta:
        model = Town

    name = factory.Sequence(lambda n: f"Villeneuve-{n}")
    slug = factory.Sequence(lambda n: f"villeneuve-{n}")
    insee_code = factory.Sequence(lambda n: f"{10000 + n:05d}")
    postcodes = factory.LazyFunction(lambda: ["61200"])
    latitude = Decimal("48.744500")
    longitude = Decimal("-0.020300")


class TownRoleFactory(DjangoModelFactory[TownRole]):
    class Meta:
        model = TownRole

    user = factory.SubFactory(UserFactory)
    town = factory.SubFactory(TownFactory)
    role = Role.MANAGER


class TradeCategoryFactory(DjangoModelFactory[TradeCategory]):
    class Meta:
        model = TradeCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Métier {n}")
    slug = factory.Sequence(lambda n: f"metier-{n}")
    naf_codes = factory.LazyFunction(lambda: ["47.29Z"])


class ShopFactory(DjangoModelFactory[Shop]):
    class Meta:
        model = Shop

    town = factory.SubFactory(TownFactory)
    name = factory.Sequence(lambda n: f"Boutique {n}")
    slug = factory.Sequence(lambda n: f"boutique-{n}")
    category = factory.SubFactory(TradeCategoryFactory)
    street_address = factory.Sequence(lambda n: f"{n % 90 + 1} rue de la République")
    postcode = "61200"
    city = factory.LazyAttribute(lambda shop: shop.town.name)
    opening_hours = "Tu-Sa 09:00-12:30,14:00-19:00"
    status = ShopStatus.PUBLISHED


class ShopMembershipFactory(DjangoModelFactory[ShopMembership]):
    class Meta:
        model = ShopMembership

    shop = factory.SubFactory(ShopFactory)
    user = factory.SubFactory(UserFactory)


class ProductFactory(DjangoModelFactory[Product]):
    class Meta:
        model = Product

    shop = factory.SubFactory(ShopFactory)
    town = factory.LazyAttribute(lambda product: product.shop.town)
    title = factory.Sequence(lambda n: f"Produit {n}")
    slug = factory.Sequence(lambda n: f"produit-{n}")
    price = Decimal("12.50")
    stock = 5


class ProductCategoryFactory(DjangoModelFactory[ProductCategory]):
    class Meta:
        model = ProductCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Rayon {n}")
    slug = factory.Sequence(lambda n: f"rayon-{n}")


class ShopClosureFactory(DjangoModelFactory[ShopClosure]):
    class Meta:
        model = ShopClosure

    shop = factory.SubFactory(ShopFactory)
    start_date = factory.LazyFunction(lambda: date.today() + timedelta(days=10))
    end_date = factory.LazyAttribute(lambda closure: closure.start_date + timedelta(days=6))
    label = "Congés"


class ProductVariantFactory(DjangoModelFactory[ProductVariant]):
    class Meta:
        model = ProductVariant

    product = factory.SubFactory(ProductFactory)
    label = factory.Sequence(lambda n: f"Taille {n}")
    stock = 3
