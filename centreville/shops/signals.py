"""What shops tell the apps above them. Sent inside the transaction that made the change: a receiver that
acts on other data waits for the commit (`transaction.on_commit`), so a rolled-back change leaves no trace.
"""

from django.dispatch import Signal

# Shops were created, changed or moved in the workflow (published, hidden, closed…).
# sender: Shop; shop_ids: list[int], every shop of the change at once (an import sends one batch of rows).
shops_changed = Signal()
