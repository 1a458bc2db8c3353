"""A progress bar for management commands: one line on stderr, redrawn in place, not too often."""

from __future__ import annotations

import time

from django.core.management.base import OutputWrapper

BAR_WIDTH = 30
# The bar is redrawn at most this often: printing is slower than importing a row.
REDRAW_SECONDS = 0.2


class ProgressBar:
    """`[######------]  40 % · <text>` on a command's stderr; `fraction` None draws the text alone."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.last_drawn = 0.0

    def draw(self, fraction: float | None, text: str, *, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self.last_drawn < REDRAW_SECONDS:
            return
        self.last_drawn = now
        if final:
            fraction = 1.0
        if fraction is None:
            bar = ""
        else:
            fraction = min(1.0, max(0.0, fraction))
            filled = int(fraction * BAR_WIDTH)
            bar = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {int(fraction * 100):3d} % · "
        self.out.write(f"\r{bar}{text}", ending="\n" if final else "")
        self.out.flush()
