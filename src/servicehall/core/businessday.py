"""The day services act on. Normally today in the hall's time zone; a replay of history (the
demo hall's year of cases) sets another day so that the same service functions, with all their
checks, write what happened on that day."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time

from django.utils import timezone

_replayed_day: ContextVar[date | None] = ContextVar("replayed_day", default=None)
_replayed_time: ContextVar[time | None] = ContextVar("replayed_time", default=None)


def today() -> date:
    return _replayed_day.get() or timezone.localdate()


def now() -> datetime:
    day = _replayed_day.get()
    if day is None:
        return timezone.now()
    moment = _replayed_time.get() or timezone.localtime().time()
    return timezone.make_aware(datetime.combine(day, moment))


@contextmanager
def replaying(day: date, at: time | None = None) -> Iterator[None]:
    """Act as if it were `day` (at `at`, or the current time of day)."""
    day_token, time_token = _replayed_day.set(day), _replayed_time.set(at)
    try:
        yield
    finally:
        _replayed_day.reset(day_token)
        _replayed_time.reset(time_token)
