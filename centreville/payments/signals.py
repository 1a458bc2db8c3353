"""What the payment provider said about a payment, for the apps above to follow: the orders app for a
basket's payment, the vouchers app for a sale of vouchers.

Each signal is sent by `sender=Payment`, inside the transaction that records the provider's event, with
the payment locked and its orders locked before it (by primary key, as everywhere). Arguments: `payment`
(its `purpose` says what it pays for, its `basket_reference` the basket's or the sale's reference), and
`order_ids`, the orders it pays for: empty for a payment without orders, which each receiver that follows
orders ignores.
"""

from django.dispatch import Signal

# The customer paid. An order that ended without a sale meanwhile is owed its share back: a receiver
# records it with `services.payment_share_give_back(payment=..., order_id=...)`; the payment is saved after
# the receivers.
payment_succeeded = Signal()

# The payment failed: nothing was taken, and its split into shares is deleted after the receivers.
payment_failed = Signal()

# The provider reports a refund (ours, or one made on its dashboard). Also `whole`: True when everything
# paid has been given back, False for part of it.
payment_refunded = Signal()
