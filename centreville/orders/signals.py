"""What happens to orders that higher apps react to (the notifications app: the messages it calls for).

Each signal is sent by `sender=Order`, inside the transaction that made it happen: a receiver that acts
outside the database waits for the commit (`transaction.on_commit`).
"""

from django.dispatch import Signal

# Steps of orders were recorded: orders placed, or an order moved on (accepted, ready, cancelled,
# expired...). Argument: `events`, the saved OrderEvent rows, in the order they happened.
order_steps_recorded = Signal()

# A person's orders are stripped of their name and contact before their account is erased; whatever holds
# that contact about those orders goes too. Argument: `order_ids`.
order_customer_forgotten = Signal()
