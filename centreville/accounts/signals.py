"""What accounts tells the apps above it about a person. Each app that reacts connects its receivers in its
own receivers.py, so that accounts never imports it."""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

from .models import User

# Sent to list, on a person's account page, the shops they run. Arguments: `user`.
# Each receiver returns a list of (town, shop) pairs, shops by name; a shop is shown by its `name`.
user_shops_requested = Signal()

# Sent to build the export of a person's data (GDPR right of access). Arguments: `user`.
# Each receiver returns a dict of sections, name → JSON-ready data; the export puts them after the
# account's own sections, in the order the apps are installed (INSTALLED_APPS).
user_data_export_requested = Signal()

# Sent in the erasure's transaction, before a person's account is deleted. Arguments: `user`.
# Each receiver strips or deletes what its app keeps about the person beyond what the deletion cascades
# to; raising ValidationError (in French) refuses the erasure, which then changes nothing.
user_erase_requested = Signal()

# Sent in the transaction of every password change or reset, the new password saved. Arguments: `user`.
# Whatever the old password let in must be shut out (the API revokes the person's tokens).
user_password_replaced = Signal()


def answers_about(signal: Signal, user: User) -> list[Any]:
    """What each receiver of one of these signals returned about `user`, in the order they were connected."""
    return [answer for _receiver, answer in signal.send(sender=User, user=user)]
