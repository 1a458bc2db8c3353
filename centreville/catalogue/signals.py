"""What the catalogue tells the apps above it. Sent inside the transaction that made the change: a receiver
that acts on other data waits for the commit (`transaction.on_commit`), so a rolled-back change leaves no
trace.
"""

from django.dispatch import Signal

# Products (or their variants) were created or changed: their title, price, stock, visibility…
# sender: Product; town_id: int; product_ids: list[int], every product of the change at once (an import
# sends them all when it ends, see `services.products_changed_together`).
products_changed = Signal()

# A product was deleted. sender: Product; town_id: int; product_ids: list[int].
products_removed = Signal()
