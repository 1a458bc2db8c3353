"""Signals core sends so that higher apps can react without core importing them."""

from django.dispatch import Signal

# A visitor opened a public page of a town, served from the page cache or not (sent by
# `pagecache.cached_town_page`). Sender: the page's view function. Arguments: `metric` (str, what the visit
# counts as), `town_id` (int), `shop_slug` (str | None: the shop the page belongs to, from its address),
# `product_slug` (str | None: the shop's product the page shows, from its address).
town_page_viewed = Signal()
