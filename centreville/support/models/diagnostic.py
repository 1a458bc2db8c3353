"""The self-diagnostic: versioned questionnaires by area, recommendation sheets, merchants' answered
diagnostics.
"""

from __future__ import annotations
