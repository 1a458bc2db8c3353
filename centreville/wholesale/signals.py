"""What the exchange's orders tell the apps above (see ARCHITECTURE.md, « When a lower app must make a higher
one react »)."""

from django.dispatch import Signal

# An order took a step (accepted, adjusted, refused, ready, collected, cancelled).
# Arguments: order (WholesaleOrder), previous_status (str), at (datetime).
wholesale_order_changed = Signal()

# An order was handed over: its invoice is due. Arguments: order (WholesaleOrder), at (datetime).
wholesale_order_collected = Signal()
