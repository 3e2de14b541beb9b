"""The supervision rules of one case, in plain Python (no Django).

A case's light follows from a few dates: its promised and legal deadlines, the due date of the
step in hand, and the day its clock started. `boundaries()` turns them, once, into the first
day of each colour; `light_on()` reads the colour of any day from those boundaries. The scanner
stores the boundaries with the light, so a rescan compares dates and never recomputes the
calendar for cases that did not change.

Defaults (configurable per center and item): a warning (yellow) when at most 1 working day or at
most 20% of the promised time is left; overdue (red) the day after the promised deadline; a
legal-limit breach the day after the legal deadline; a step overdue (yellow) the day after the
step's due date. Remaining time counts the working days after today up to the deadline, so on
the deadline itself 0 working days are left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from servicehall.core.workcalendar import CalendarNotConfigured, WorkCalendar

ONE_DAY = timedelta(days=1)


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    PAUSED = "paused"  # suspended or reported up: the clock stands still
    UNKNOWN = "unknown"  # no deadline: the calendar year is not configured


class Reason(StrEnum):
    NONE = ""
    DUE_SOON = "due_soon"
    STEP_OVERDUE = "step_overdue"
    OVERDUE = "overdue"
    LEGAL_BREACH = "legal_breach"
    PAUSED = "paused"
    NO_DEADLINE = "no_deadline"


@dataclass(frozen=True)
class Thresholds:
    warn_working_days: int = 1
    warn_percent: int = 20
    untouched_working_days: int = 3
    card_finish_working_days: int = 2


DEFAULTS = Thresholds()


@dataclass(frozen=True)
class CaseFacts:
    paused: bool
    clock_start: date | None
    promised_due: date | None
    legal_due: date | None = None
    step_due: date | None = None


@dataclass(frozen=True)
class Boundaries:
    """The first day of each state; None where the state never comes."""

    paused: bool = False
    warn_from: date | None = None
    step_late_from: date | None = None
    red_from: date | None = None
    legal_from: date | None = None

    @property
    def known(self) -> bool:
        return self.red_from is not None


def _nth_working_day_from_end(cal: WorkCalendar, due: date, left: int) -> date:
    """The first day on which at most `left` working days remain up to `due`."""
    # Working days after d up to due = W(due) - W(d). It is <= left from the day W(d) reaches
    # W(due) - left, i.e. from the (W(due) - left)-th working day of the calendar on.
    day, remaining = due, 0
    while True:
        previous = day - ONE_DAY
        if not cal.covers(previous):
            return day
        if cal.is_working_day(day):
            remaining += 1
        if remaining > left:
            return day
        day = previous


def warn_from(cal: WorkCalendar, *, clock_start: date | None, due: date,
              thresholds: Thresholds) -> date:
    """The first day a case due on `due` is in the warning zone."""
    left = thresholds.warn_working_days
    if clock_start is not None and clock_start <= due:
        total = cal.working_days_between(clock_start, due)
        left = max(left, total * thresholds.warn_percent // 100)
    return _nth_working_day_from_end(cal, due, left)


def boundaries(facts: CaseFacts, cal: WorkCalendar, thresholds: Thresholds = DEFAULTS
               ) -> Boundaries:
    """The boundaries of a case; a deadline the calendar does not reach leaves them unknown."""
    if facts.paused or facts.promised_due is None:
        return assemble(facts, None)
    try:
        warn = warn_from(cal, clock_start=facts.clock_start, due=facts.promised_due,
                         thresholds=thresholds)
    except CalendarNotConfigured:
        return assemble(facts, None)
    return assemble(facts, warn)


def assemble(facts: CaseFacts, warn: date | None) -> Boundaries:
    """The boundaries from the facts and the first warning day (the only part that needs the
    calendar, so a scanner can compute it once for many cases); no warning day: unknown."""
    if facts.paused:
        return Boundaries(paused=True)
    if facts.promised_due is None or warn is None:
        return Boundaries()
    return Boundaries(
        warn_from=warn,
        step_late_from=facts.step_due + ONE_DAY if facts.step_due else None,
        red_from=facts.promised_due + ONE_DAY,
        legal_from=facts.legal_due + ONE_DAY if facts.legal_due else None,
    )


def light_on(b: Boundaries, today: date) -> tuple[Light, Reason]:
    """The colour of a case on `today`, with the rule that gave it."""
    if b.paused:
        return Light.PAUSED, Reason.PAUSED
    if b.red_from is None:
        return Light.UNKNOWN, Reason.NO_DEADLINE
    if b.legal_from is not None and b.legal_from <= today:
        return Light.RED, Reason.LEGAL_BREACH
    if b.red_from <= today:
        return Light.RED, Reason.OVERDUE
    if b.warn_from is not None and b.warn_from <= today:
        return Light.YELLOW, Reason.DUE_SOON
    if b.step_late_from is not None and b.step_late_from <= today:
        return Light.YELLOW, Reason.STEP_OVERDUE
    return Light.GREEN, Reason.NONE


def classify(facts: CaseFacts, cal: WorkCalendar, today: date,
             thresholds: Thresholds = DEFAULTS) -> tuple[Light, Reason]:
    return light_on(boundaries(facts, cal, thresholds), today)


def finish_by(cal: WorkCalendar, issued_on: date, thresholds: Thresholds = DEFAULTS) -> date:
    """The date a yellow card gives the department to finish the case."""
    return cal.add_working_days(issued_on, thresholds.card_finish_working_days)


def working_days_since(cal: WorkCalendar, start: date, today: date) -> int:
    """Working days after `start` up to and including `today`."""
    return cal.working_days_between(start, today)


def suspension_overrun(cal: WorkCalendar, *, start: date, expected_working_days: int | None,
                       today: date) -> bool:
    """A suspension lasting longer than the working days it announced."""
    if expected_working_days is None:
        return False
    return working_days_since(cal, start, today) > expected_working_days


def untouched(cal: WorkCalendar, *, accepted_on: date, handled: bool, today: date,
              thresholds: Thresholds = DEFAULTS) -> bool:
    """Accepted, and nothing done on the case (no step taken, handed over, completed or
    commented) for the configured number of working days."""
    if handled:
        return False
    return working_days_since(cal, accepted_on, today) >= thresholds.untouched_working_days


def untouched_cutoff(cal: WorkCalendar, today: date, thresholds: Thresholds = DEFAULTS) -> date:
    """The latest acceptance day for which a case with no activity since is untouched today."""
    return _nth_working_day_from_end(cal, today, thresholds.untouched_working_days - 1) - ONE_DAY
