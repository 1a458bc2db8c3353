from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory
from stdnum import luhn

from centreville.accounts.tests.factories import UserFactory
from centreville.enterprises.models import (
    BuyerCategory,
    Enterprise,
    EnterpriseMember,
    LegalForm,
    PickupPlace,
    SpaceProducer,
    VatRegime,
)


def valid_siret(n: int) -> str:
    """The n-th SIRET with valid keys: a SIREN (8 digits and its Luhn key), then an establishment number."""
    siren = f"{(41_000_000 + n) % 100_000_000:08d}"
    siren += luhn.calc_check_digit(siren)
    nic = "0001"
    return siren + nic + luhn.calc_check_digit(siren + nic)


def vat_number_of(siret: str) -> str:
    siren = int(siret[:9])
    return f"FR{(12 + 3 * (siren % 97)) % 97:02d}{siret[:9]}"


class EnterpriseFactory(DjangoModelFactory[Enterprise]):
    """A VAT-registered farm near Argentan selling to professionals."""

    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"Ferme {n}")
    slug = factory.Sequence(lambda n: f"ferme-{n}")
    is_producer = True
    siret = factory.Sequence(valid_siret)
    legal_form = LegalForm.EARL
    vat_regime = VatRegime.REGISTERED
    vat_number = factory.LazyAttribute(lambda enterprise: vat_number_of(enterprise.siret))
    street_address = "Le Bourg"
    postcode = "61200"
    city = "Argentan"
    latitude = Decimal("48.744900")
    longitude = Decimal("-0.020300")
    email = factory.Sequence(lambda n: f"ferme{n}@example.fr")
    labels = factory.LazyFunction(list)


class BuyerFactory(EnterpriseFactory):
    """A restaurant in Argentan."""

    name = factory.Sequence(lambda n: f"Restaurant {n}")
    slug = factory.Sequence(lambda n: f"restaurant-{n}")
    is_producer = False
    is_buyer = True
    legal_form = LegalForm.SARL
    registry = "RCS Alençon"
    street_address = "2 rue de la République"
    buyer_category = BuyerCategory.RESTAURANT
    email = factory.Sequence(lambda n: f"restaurant{n}@example.fr")


class EnterpriseMemberFactory(DjangoModelFactory[EnterpriseMember]):
    class Meta:
        model = EnterpriseMember

    enterprise = factory.SubFactory(EnterpriseFactory)
    user = factory.SubFactory(UserFactory)
    is_owner = True


class PickupPlaceFactory(DjangoModelFactory[PickupPlace]):
    class Meta:
        model = PickupPlace

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = "À la ferme"
    street_address = "Le Bourg"
    postcode = "61200"
    city = "Argentan"
    latitude = Decimal("48.744900")
    longitude = Decimal("-0.020300")
    opening_hours = "Tu,Fr 17:00-19:00; Sa 09:00-12:00"


class SpaceProducerFactory(DjangoModelFactory[SpaceProducer]):
    class Meta:
        model = SpaceProducer

    enterprise = factory.SubFactory(EnterpriseFactory)
