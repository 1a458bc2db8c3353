"""Training sessions: topic, trainer, place or video link, capacity; registrations, waiting list,
attendance, follow-up tasks.
"""

from __future__ import annotations
