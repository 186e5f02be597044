"""Progress of a sweep: runs done out of the plan, failures, and an ETA.

A thin wrapper over tqdm so the runner reports absolute counts (runs finished so far) and tqdm
works out rate and ETA from runs finished by this call, not from those skipped on resume.
"""

from __future__ import annotations

import sys

from tqdm.auto import tqdm


class Progress:
    """A progress bar over runs, or nothing when disabled."""

    def __init__(self, total: int, initial: int = 0, enabled: bool = True, label: str = ""):
        self._initial = initial
        self._bar = None
        if enabled:
            self._bar = tqdm(total=total, initial=initial, unit="run", desc=label or "sweep",
                             dynamic_ncols=True, smoothing=0.1, file=sys.stderr)
            self._bar.set_postfix(done=initial, failed=0)

    def update(self, finished_now: int, failed: int, lost: int = 0) -> None:
        """Show `finished_now` runs completed by this call, `failed` of them failed."""
        if self._bar is None:
            return
        postfix = {"done": self._initial + finished_now - failed - lost, "failed": failed}
        if lost:
            postfix["lost"] = lost
        self._bar.set_postfix(postfix, refresh=False)
        self._bar.update(self._initial + finished_now - self._bar.n)

    def close(self, message: str = "") -> None:
        """Close the bar and print the summary below it."""
        if self._bar is None:
            return
        self._bar.close()
        if message:
            print(message, file=sys.stderr)
