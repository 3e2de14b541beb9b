"""Which waiting ticket a window calls next, and how long a newcomer will wait.

Plain Python, no Django: the rules of the queue in one place, tested without a database.

The order a window calls in:
1. tickets transferred to this very window, oldest first;
2. priority tickets (appointment check-ins, green channel, 爱心通道, supplement returns), in the
   configured order of their kinds, oldest first within a kind, but only when fairness allows:
   after a priority ticket the window calls at least `regular_per_priority` regular tickets
   before the next priority one, as long as regular tickets are waiting;
3. regular tickets, oldest first (by the time they joined the queue, which is the issue time
   or the time of re-queueing after a no-show).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

REGULAR = "regular"


@dataclass(frozen=True)
class Policy:
    priority_order: tuple[str, ...] = ("appointment", "green", "care", "supplement")
    regular_per_priority: int = 3

    def rank(self, kind: str) -> int:
        try:
            return self.priority_order.index(kind)
        except ValueError:
            return len(self.priority_order)


@dataclass(frozen=True)
class Waiting:
    id: int
    category_id: int
    queued_at: datetime
    priority: str = REGULAR
    reserved_window_id: int | None = None

    @property
    def is_priority(self) -> bool:
        return self.priority != REGULAR


@dataclass(frozen=True)
class WindowView:
    id: int
    category_ids: frozenset[int]
    regular_since_priority: int


def callable_by(window: WindowView, waiting: Iterable[Waiting]) -> list[Waiting]:
    """Tickets this window may call: reserved for it, or in one of its categories and not
    reserved for another window."""
    return [t for t in waiting
            if t.reserved_window_id == window.id
            or (t.reserved_window_id is None and t.category_id in window.category_ids)]


def choose_next(window: WindowView, waiting: Sequence[Waiting], policy: Policy) -> Waiting | None:
    candidates = callable_by(window, waiting)
    if not candidates:
        return None
    reserved = [t for t in candidates if t.reserved_window_id == window.id]
    if reserved:
        return min(reserved, key=lambda t: (t.queued_at, t.id))
    priority = [t for t in candidates if t.is_priority]
    regular = [t for t in candidates if not t.is_priority]
    priority_due = window.regular_since_priority >= policy.regular_per_priority
    if priority and (priority_due or not regular):
        return min(priority, key=lambda t: (policy.rank(t.priority), t.queued_at, t.id))
    return min(regular, key=lambda t: (t.queued_at, t.id))


def regular_count_after(called: Waiting, regular_since_priority: int) -> int:
    """The window's fairness counter after calling `called`."""
    if called.is_priority:
        return 0
    return regular_since_priority + 1


# --- Waiting time ---------------------------------------------------------------------------

DEFAULT_SERVICE_MINUTES = 10.0


def mean_service_minutes(recent_minutes: Sequence[float],
                         default: float = DEFAULT_SERVICE_MINUTES) -> float:
    """The mean of recent service times, trimmed of the slowest and quickest tenth so one
    stuck case does not swing the estimate; the default when nothing was served yet."""
    values = sorted(m for m in recent_minutes if m >= 0)
    if not values:
        return default
    cut = len(values) // 10
    kept = values[cut:len(values) - cut] or values
    return sum(kept) / len(kept)


def estimated_wait_minutes(*, waiting_ahead: int, open_windows: int,
                           service_minutes: float) -> int | None:
    """Minutes until a newcomer is called: the people ahead, served by the open windows in
    parallel. None when no window serves the category (no honest estimate exists)."""
    if open_windows <= 0:
        return None if waiting_ahead else 0
    return math.ceil(waiting_ahead * service_minutes / open_windows)


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The nearest-rank percentile (p90 = percentile(values, 0.9))."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]
