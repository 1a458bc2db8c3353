"""Coaching programmes: an expert and a merchant on one concrete action, milestones, 15-minute
meetings, notes, end review.
"""

from __future__ import annotations
