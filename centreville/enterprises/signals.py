"""What the enterprises tell the apps above (see ARCHITECTURE.md)."""

from django.dispatch import Signal

# An enterprise's position, labels or pickup places changed: copies kept above (lots' positions, pickup
# days) are stale. Arguments: enterprise (Enterprise).
enterprise_changed = Signal()
