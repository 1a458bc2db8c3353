"""What the exchange's orders tell the apps above (see ARCHITECTURE.md, « When a lower app must make a higher
one react »)."""

from django.dispatch import Signal

# An order was placed (previous_status "") or took a step (accepted, adjusted, refused, ready, collected,
# cancelled; adjusted keeps its status).
# Arguments: order (WholesaleOrder), previous_status (str), at (datetime).
wholesale_order_changed = Signal()

# An order was handed over: its invoice is due. Arguments: order (WholesaleOrder), at (datetime).
wholesale_order_collected = Signal()

# A standing order could not make its week's order. Arguments: run (StandingOrderRun), at (datetime).
standing_order_failed = Signal()
