"""Writes on counting sites (imports write counts: `importing.py` and `storing.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centreville.core.pagecache import town_public_data_changed

from .models import CountingSite


@dataclass(frozen=True)
class SiteData:
    """What the town team writes down about a counting site."""

    name: str
    kind: str
    external_id: str = ""
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@transaction.atomic
def site_update(*, site: CountingSite, data: SiteData) -> CountingSite:
    """The site holds `data`. Its position is both coordinates or none: open data publishes a site only where
    it stands."""
    if (data.latitude is None) != (data.longitude is None):
        raise ValidationError(
            _("Donnez la latitude et la longitude du compteur, ou aucune des deux."), code="half_position"
        )
    site.name = data.name.strip()
    site.kind = data.kind
    site.external_id = data.external_id.strip()
    site.address = data.address.strip()
    site.latitude, site.longitude = data.latitude, data.longitude
    site.full_clean(exclude=["town"])
    site.save()
    town_public_data_changed(site.town_id)  # its open data places the site
    return site
