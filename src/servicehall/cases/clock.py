"""The legal clock of one case (办件时钟): deadlines, pauses, extensions, lateness.

Plain Python (no Django). Limits count from the clock start: day 1 is the first working
(or natural) day after it. A pause (特别程序, 上报件) stops the clock from ``start``
(inclusive) to ``end`` (exclusive). Paused time is not counted in a limit (行政许可法第45条),
so a pause moves a deadline only if it begins on or before that deadline: pausing a case
that is already late does not make it on time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from servicehall.core.workcalendar import LimitUnit, WorkCalendar

ONE_DAY = timedelta(days=1)


class PauseKind(StrEnum):
    HEARING = "hearing"
    EXPERT_REVIEW = "expert_review"
    SITE_SURVEY = "site_survey"
    PUBLIC_NOTICE = "public_notice"
    APPLICANT_CORRECTION = "applicant_correction"
    REPORTED_UP = "reported_up"


@dataclass(frozen=True)
class Pause:
    """Clock stopped from ``start`` (inclusive) to ``end`` (exclusive); end None: still paused."""

    kind: PauseKind
    reason: str
    start: date
    end: date | None = None
    expected_working_days: int | None = None


@dataclass(frozen=True)
class Limit:
    days: int
    unit: LimitUnit


@dataclass(frozen=True)
class ClockInput:
    accepted_on: date
    promised: Limit
    legal: Limit | None = None
    complete_materials_on: date | None = None
    awaiting_materials: bool = False
    pauses: tuple[Pause, ...] = ()
    extension_working_days: int = 0  # added as natural days to a natural-day limit
    completed_on: date | None = None


@dataclass(frozen=True)
class ClockState:
    clock_start: date | None
    promised_due: date | None
    legal_due: date | None
    paused_working_days: int
    working_days_used: int
    is_paused: bool
    is_overdue: bool
    on_time: bool | None
    early: bool | None
    legal_breach: bool
    working_days_left: int | None


def due_date(
    calendar: WorkCalendar,
    start: date,
    limit: Limit,
    *,
    paused_days: int = 0,
    extension_days: int = 0,
) -> date:
    """Deadline of ``limit`` from ``start``; paused and extension days are in the limit's unit."""
    total = limit.days + paused_days + extension_days
    if total < 0:
        raise ValueError(f"时限天数不能为负数:{total}")
    return calendar.add(start, total, limit.unit)


def clock_start(case: ClockInput) -> date | None:
    """Acceptance day, or the day materials were complete (补办件); None while awaiting them."""
    if case.awaiting_materials:
        return None
    return case.complete_materials_on or case.accepted_on


def check_input(case: ClockInput) -> list[str]:
    """Everything wrong with ``case``, in Chinese; empty when it is consistent."""
    errors = _check_case(case)
    start = clock_start(case)
    for number, pause in enumerate(case.pauses, 1):
        errors += _check_pause(f"第{number}次暂停", pause, start, case.completed_on)
    ordered = sorted(case.pauses, key=lambda p: p.start)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.end is None or later.start < earlier.end:
            errors.append(f"暂停时段重叠:{earlier.start} 起与 {later.start} 起的暂停")
    return errors


def _check_case(case: ClockInput) -> list[str]:
    errors = []
    if case.promised.days < 0:
        errors.append("承诺时限天数不能为负数")
    if case.legal is not None and case.legal.days < 0:
        errors.append("法定时限天数不能为负数")
    if case.extension_working_days < 0:
        errors.append("延期天数不能为负数")
    if case.completed_on is not None and case.completed_on < case.accepted_on:
        errors.append(f"办结日期 {case.completed_on} 早于受理日期 {case.accepted_on}")
    materials_on = case.complete_materials_on
    if materials_on is not None:
        if materials_on < case.accepted_on:
            errors.append(f"材料补齐日期 {materials_on} 早于受理日期 {case.accepted_on}")
        if case.completed_on is not None and case.completed_on < materials_on:
            errors.append(f"办结日期 {case.completed_on} 早于材料补齐日期 {materials_on}")
    if case.awaiting_materials:
        if materials_on is not None:
            errors.append("办件仍在等待补齐材料,不应填写材料补齐日期")
        if case.completed_on is not None:
            errors.append("办件仍在等待补齐材料,不能已办结")
    return errors


def _check_pause(label: str, pause: Pause, start: date | None, completed: date | None) -> list[str]:
    errors = []
    if not pause.reason.strip():
        errors.append(f"{label}未注明原因")
    if pause.end is not None and pause.end < pause.start:
        errors.append(f"{label}的结束日期 {pause.end} 早于开始日期 {pause.start}")
    if start is None:
        errors.append(f"{label}:办件尚未开始计时(等待补齐材料),不能暂停")
    elif pause.start < start:
        errors.append(f"{label}的开始日期 {pause.start} 早于计时起点 {start}")
    if completed is not None and pause.start > completed:
        errors.append(f"{label}的开始日期 {pause.start} 晚于办结日期 {completed}")
    if pause.expected_working_days is not None and pause.expected_working_days < 0:
        errors.append(f"{label}的预计工作日数不能为负数")
    return errors


@dataclass(frozen=True)
class _StoppedSpan:
    """The days ``first..last`` (inclusive) on which a pause really stopped the clock."""

    pause_start: date
    first: date
    last: date


def _stopped_spans(case: ClockInput, start: date, horizon: date) -> list[_StoppedSpan]:
    """Pauses cut to days after the clock start and before ``horizon`` (exclusive)."""
    spans = []
    for pause in sorted(case.pauses, key=lambda p: p.start):
        end = horizon if pause.end is None else min(pause.end, horizon)
        spans.append(_StoppedSpan(pause.start, max(pause.start, start + ONE_DAY), end - ONE_DAY))
    return spans


def _days_in(calendar: WorkCalendar, span: _StoppedSpan, unit: LimitUnit) -> int:
    if span.last < span.first:
        return 0
    if unit is LimitUnit.NATURAL:
        return (span.last - span.first).days + 1
    first_counts = 1 if calendar.is_working_day(span.first) else 0
    return calendar.working_days_between(span.first, span.last) + first_counts


def _deadline(
    calendar: WorkCalendar, start: date, limit: Limit, extension: int, spans: list[_StoppedSpan]
) -> date:
    """Due date moved by every pause that began on or before the (moving) due date."""
    paused = 0
    due = due_date(calendar, start, limit, extension_days=extension)
    for span in spans:
        if span.pause_start > due:
            break
        paused += _days_in(calendar, span, LimitUnit(limit.unit))
        due = due_date(calendar, start, limit, paused_days=paused, extension_days=extension)
    return due


def _is_paused_on(case: ClockInput, day: date) -> bool:
    return any(p.start <= day and (p.end is None or day < p.end) for p in case.pauses)


def clock_state(calendar: WorkCalendar, case: ClockInput, today: date) -> ClockState:
    """The clock of ``case`` as of ``today`` (as of the completion day once completed)."""
    errors = check_input(case)
    if errors:
        raise ValueError(";".join(errors))
    start = clock_start(case)
    if start is None:
        return ClockState(None, None, None, 0, 0, False, False, None, None, False, None)
    completed = case.completed_on
    as_of = completed if completed is not None else today
    horizon = completed if completed is not None else today + ONE_DAY
    spans = _stopped_spans(case, start, horizon)
    extension = case.extension_working_days
    promised_due = _deadline(calendar, start, case.promised, extension, spans)
    legal_due = None
    if case.legal is not None:
        legal_due = _deadline(calendar, start, case.legal, extension, spans)
    paused = sum(_days_in(calendar, span, LimitUnit.WORKING) for span in spans)
    elapsed = max(0, calendar.working_days_between(start, as_of))
    return ClockState(
        clock_start=start,
        promised_due=promised_due,
        legal_due=legal_due,
        paused_working_days=paused,
        working_days_used=elapsed - paused,
        is_paused=completed is None and _is_paused_on(case, today),
        is_overdue=as_of > promised_due,
        on_time=None if completed is None else completed <= promised_due,
        early=None if completed is None else completed < promised_due,
        legal_breach=legal_due is not None and as_of > legal_due,
        working_days_left=(
            None if completed is not None else calendar.working_days_between(today, promised_due)
        ),
    )


__all__ = [
    "ClockInput",
    "ClockState",
    "Limit",
    "Pause",
    "PauseKind",
    "check_input",
    "clock_start",
    "clock_state",
    "due_date",
]
