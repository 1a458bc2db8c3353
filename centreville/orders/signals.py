"""What happens to orders that higher apps react to (the notifications app: the messages it calls for).

Each signal is sent by `sender=Order`, inside the transaction that made it happen: a receiver that acts
outside the database waits for the commit (`transaction.on_commit`).
"""

from django.dispatch import Signal

# Steps of orders were recorded: orders placed, or an order moved on (accepted, ready, cancelled,
# expired...). Argument: `events`, the saved OrderEvent rows, in the order they happened.
order_steps_recorded = Signal()

# Orders are stripped of their customer's name and contact (before the person's account is erased, or once
# kept for the retention period after they ended); whatever holds that contact about those orders goes too.
# Argument: `order_ids`.
order_customer_forgotten = Signal()
