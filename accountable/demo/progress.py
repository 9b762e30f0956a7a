"""A one-line terminal progress bar for long commands (no dependency needed for one line)."""

from __future__ import annotations

import time
from typing import TextIO


class ProgressBar:
    """Call it with (phase, done, total) as work goes on.

    On a terminal it redraws one line at most ten times a second; on a pipe or a log file (CI)
    it prints one line per finished phase, so that logs stay readable.
    """

    def __init__(self, stream: TextIO, *, width: int = 30, interactive: bool | None = None):
        self.stream = stream
        self.width = width
        self.interactive = stream.isatty() if interactive is None else interactive
        self._phase = ""
        self._phase_started = time.monotonic()
        self._drawn_at = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase != self._phase:
            self._phase, self._phase_started, self._drawn_at = phase, now, 0.0
        finished = done >= total
        if not finished and now - self._drawn_at < 0.1:
            return
        self._drawn_at = now
        elapsed = now - self._phase_started
        if self.interactive:
            share = done / total if total else 1.0
            filled = int(self.width * share)
            bar = "#" * filled + "-" * (self.width - filled)
            end = "\n" if finished else ""
            self.stream.write(
                f"\r{phase:<24} [{bar}] {share:4.0%} {done:>9,}/{total:,} {elapsed:5.1f}s{end}"
            )
            self.stream.flush()
        elif finished:
            self.stream.write(f"{phase:<24} {total:>9,} done in {elapsed:.1f}s\n")
            self.stream.flush()
