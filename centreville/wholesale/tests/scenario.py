"""A buyer, two producers and their ways of handing over, on a fixed clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from centreville.accounts.tests.factories import UserFactory
from centreville.enterprises.models import Enterprise, PickupPlace
from centreville.enterprises.tests.factories import (
    BuyerFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    PickupPlaceFactory,
)
from centreville.lots.models import Lot
from centreville.lots.tests.factories import LotFactory
from centreville.wholesale.handover import HandOverChoice
from centreville.wholesale.models import DeliveryRound, DrivePoint, HandOver

from .factories import DeliveryRoundFactory, DrivePointFactory

# Monday 7 December 2026, 9:00 in Paris.
AT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
# Tuesday 8 December, 17:00 in Paris: the farm's first window after AT.
FARM_WINDOW = datetime(2026, 12, 8, 16, 0, tzinfo=UTC)
# Thursday 10 December, 16:00 in Paris: the drive's first slot.
DRIVE_SLOT = datetime(2026, 12, 10, 15, 0, tzinfo=UTC)


@dataclass
class Scenario:
    buyer: Enterprise
    farm: Enterprise
    dairy: Enterprise
    place: PickupPlace
    drive: DrivePoint
    delivery_round: DeliveryRound
    carrots: Lot
    cheese: Lot
    buyer_user: object
    farm_user: object

    def farm_choice(self, starts_at: datetime = FARM_WINDOW) -> HandOverChoice:
        return HandOverChoice(HandOver.FARM, self.place.pk, starts_at=starts_at)

    def drive_choice(self, starts_at: datetime = DRIVE_SLOT) -> HandOverChoice:
        return HandOverChoice(HandOver.DRIVE, self.drive.pk, starts_at=starts_at)


def scenario() -> Scenario:
    buyer = BuyerFactory.create(name="Le Bistrot", slug="le-bistrot")
    farm = EnterpriseFactory.create(name="Ferme des Sources", slug="ferme-des-sources")
    dairy = EnterpriseFactory.create(name="Laiterie du Pays", slug="laiterie-du-pays")
    place = PickupPlaceFactory.create(enterprise=farm)
    drive = DrivePointFactory.create(name="Drive d'Argentan", capacity_per_slot=2)
    drive.producers.add(dairy, farm)
    delivery_round = DeliveryRoundFactory.create(enterprise=farm)
    carrots = LotFactory.create(enterprise=farm, title="Carottes", quantity_available=Decimal("40"))
    cheese = LotFactory.create(
        enterprise=dairy,
        title="Camembert",
        unit="piece",
        minimum_quantity=Decimal("6"),
        quantity_step=Decimal("6"),
        quantity_available=Decimal("60"),
        unit_price=Decimal("3.5000"),
    )
    buyer_user = UserFactory.create()
    farm_user = UserFactory.create()
    EnterpriseMemberFactory.create(enterprise=buyer, user=buyer_user)
    EnterpriseMemberFactory.create(enterprise=farm, user=farm_user)
    return Scenario(buyer, farm, dairy, place, drive, delivery_round, carrots, cheese, buyer_user, farm_user)
