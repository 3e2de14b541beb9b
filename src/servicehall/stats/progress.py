"""A plain text progress bar for long commands (no dependency): `[#####-----] 50% 5,000/10,000
12s`, redrawn in place on a terminal and every 10% otherwise."""

import sys
import time


class ProgressBar:
    def __init__(self, total: int, *, label: str = "", stream=None, width: int = 30):
        self.total, self.label, self.width = max(total, 1), label, width
        self.stream = stream or sys.stderr
        self.done, self.started, self._last = 0, time.monotonic(), -1
        self.tty = getattr(self.stream, "isatty", lambda: False)()

    def advance(self, n: int = 1) -> None:
        self.done += n
        percent = min(100, self.done * 100 // self.total)
        step = percent if self.tty else percent - percent % 10
        if step != self._last:
            self._last = step
            filled = self.width * percent // 100
            line = (f"{self.label} [{'#' * filled}{'-' * (self.width - filled)}] {percent:3d}% "
                    f"{self.done:,}/{self.total:,} {time.monotonic() - self.started:.0f}s")
            self.stream.write(("\r" + line) if self.tty else line + "\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")

    def wrap(self, iterable, every: int = 1000):
        """Yield from `iterable`, advancing every `every` items."""
        count = 0
        for value in iterable:
            count += 1
            if count == every:
                self.advance(count)
                count = 0
            yield value
        self.advance(count)
        self.finish()
