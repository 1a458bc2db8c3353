"""A space is what the first segment of a public URL names: one town, or a territory of several."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import cached_property

if TYPE_CHECKING:
    from .models import Territory, Town


@dataclass(frozen=True)
class Space:
    slug: str
    name: str
    towns: tuple[Town, ...]
    territory: Territory | None = None

    @cached_property
    def town_ids(self) -> tuple[int, ...]:
        return tuple(town.pk for town in self.towns)

    @property
    def is_territory(self) -> bool:
        return self.territory is not None

    @property
    def town(self) -> Town | None:
        """The town of a single-town space; None for a territory."""
        return None if self.territory is not None else self.towns[0]

    @property
    def branding(self) -> Town | Territory:
        return self.territory if self.territory is not None else self.towns[0]

    @property
    def brand_colour(self) -> str:
        return self.branding.brand_colour

    @property
    def brand_text_colour(self) -> str:
        return readable_text_colour(self.brand_colour)


def _relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio between two #RRGGBB colours."""
    lighter, darker = sorted((_relative_luminance(first), _relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_colour(background: str) -> str:
    """Black or white, whichever contrasts more: one of them always reaches the WCAG AA ratio of 4.5."""
    return (
        "#ffffff"
        if contrast_ratio(background, "#ffffff") >= contrast_ratio(background, "#000000")
        else "#000000"
    )
