"""The legal clock of a case (办件时钟), checked against the official 2025-2026 calendar.

Calendar facts used (asserted in test_calendar_facts_these_tests_rely_on):
National Day 2026 rests 10-01..10-07, Sat 10-10 is a make-up working day;
Spring Festival 2026 rests 02-15..02-23, Sat 02-14 and Sat 02-28 are make-up working days;
Mid-Autumn 2026 rests Fri 09-25, Sun 09-20 is a make-up working day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicehall.cases.clock import (
    ClockInput,
    Limit,
    Pause,
    PauseKind,
    check_input,
    clock_start,
    clock_state,
    due_date,
)
from servicehall.core.official_calendar import official_days
from servicehall.core.workcalendar import CalendarNotConfigured, LimitUnit, WorkCalendar

CAL = WorkCalendar.from_days(official_days(2025, 2026))
WORKING, NATURAL = LimitUnit.WORKING, LimitUnit.NATURAL


def working(days: int) -> Limit:
    return Limit(days, WORKING)


def natural(days: int) -> Limit:
    return Limit(days, NATURAL)


def pause(start: date, end: date | None = None, kind: PauseKind = PauseKind.EXPERT_REVIEW) -> Pause:
    return Pause(kind=kind, reason="专家评审", start=start, end=end)


def test_calendar_facts_these_tests_rely_on() -> None:
    assert not any(CAL.is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert CAL.is_working_day(date(2026, 10, 10))
    assert not any(CAL.is_working_day(date(2026, 2, d)) for d in range(15, 24))
    assert CAL.is_working_day(date(2026, 2, 14)) and CAL.is_working_day(date(2026, 2, 28))
    assert not CAL.is_working_day(date(2026, 9, 25)) and CAL.is_working_day(date(2026, 9, 20))


# --- due dates ---------------------------------------------------------------------------


def test_promised_due_skips_national_day_and_counts_the_make_up_saturday() -> None:
    # 10-08 (1), 10-09 (2), Sat 10-10 (3), 10-12 (4), 10-13 (5)
    case = ClockInput(accepted_on=date(2026, 9, 30), promised=working(5))
    state = clock_state(CAL, case, today=date(2026, 10, 13))
    assert state.clock_start == date(2026, 9, 30)
    assert state.promised_due == date(2026, 10, 13)
    assert state.working_days_used == 5
    assert state.working_days_left == 0
    assert not state.is_overdue


def test_promised_due_skips_spring_festival_and_counts_both_make_up_saturdays() -> None:
    # Fri 02-13 -> Sat 02-14 (1), 02-24 (2), 02-25 (3), 02-26 (4), 02-27 (5), Sat 02-28 (6)
    case = ClockInput(accepted_on=date(2026, 2, 13), promised=working(6))
    assert clock_state(CAL, case, date(2026, 2, 13)).promised_due == date(2026, 2, 28)
    assert due_date(CAL, date(2026, 2, 13), working(2)) == date(2026, 2, 24)


def test_due_date_adds_paused_and_extension_days_in_the_limits_unit() -> None:
    start = date(2026, 9, 30)
    assert due_date(CAL, start, working(5)) == date(2026, 10, 13)
    assert due_date(CAL, start, working(5), paused_days=1, extension_days=1) == date(2026, 10, 15)
    # 09-30 + 7 natural days = 10-07 (holiday) -> rolls to 10-08
    assert due_date(CAL, start, natural(5), paused_days=1, extension_days=1) == date(2026, 10, 8)


def test_immediate_case_is_due_on_the_acceptance_day() -> None:
    day = date(2026, 3, 2)
    case = ClockInput(accepted_on=day, promised=working(0), completed_on=day)
    state = clock_state(CAL, case, today=date(2026, 3, 2))
    assert state.promised_due == date(2026, 3, 2)
    assert (state.on_time, state.early, state.is_overdue) == (True, False, False)
    assert state.working_days_used == 0


def test_immediate_case_accepted_on_a_rest_day_is_due_the_next_working_day() -> None:
    case = ClockInput(accepted_on=date(2026, 10, 3), promised=working(0))
    assert clock_state(CAL, case, date(2026, 10, 3)).promised_due == date(2026, 10, 8)


# --- supplement cases (补办件) --------------------------------------------------------------


def test_supplement_case_clock_starts_on_the_day_materials_are_complete() -> None:
    # Materials complete Thu 09-24 (09-25 is Mid-Autumn): 09-28, 09-29, 09-30, 10-08, 10-09
    case = ClockInput(
        accepted_on=date(2026, 9, 21),
        promised=working(5),
        legal=working(10),
        complete_materials_on=date(2026, 9, 24),
    )
    state = clock_state(CAL, case, today=date(2026, 9, 29))
    assert clock_start(case) == state.clock_start == date(2026, 9, 24)
    assert state.promised_due == date(2026, 10, 9)
    assert state.legal_due == date(2026, 10, 15)  # + Sat 10-10, 10-12 .. 10-15
    assert state.working_days_used == 2


def test_nothing_is_due_while_a_supplement_case_awaits_materials() -> None:
    case = ClockInput(
        accepted_on=date(2026, 3, 2),
        promised=working(5),
        legal=working(20),
        awaiting_materials=True,
    )
    state = clock_state(CAL, case, today=date(2026, 6, 30))
    assert state.clock_start is None
    assert state.promised_due is None and state.legal_due is None
    assert not state.is_overdue and not state.legal_breach
    assert state.working_days_left is None and state.on_time is None
    assert state.working_days_used == 0


# --- pauses (特别程序, 上报件) ----------------------------------------------------------------


def test_a_pause_moves_both_deadlines_by_its_working_days() -> None:
    # Paused Wed 03-04 and Thu 03-05 (resumes 03-06): 2 working days.
    base = ClockInput(accepted_on=date(2026, 3, 2), promised=working(10), legal=working(20))
    paused = replace(base, pauses=(pause(date(2026, 3, 4), date(2026, 3, 6)),))
    before = clock_state(CAL, base, today=date(2026, 3, 10))
    after = clock_state(CAL, paused, today=date(2026, 3, 10))
    assert (before.promised_due, before.legal_due) == (date(2026, 3, 16), date(2026, 3, 30))
    assert (after.promised_due, after.legal_due) == (date(2026, 3, 18), date(2026, 4, 1))
    assert after.paused_working_days == 2
    assert after.working_days_used == before.working_days_used - 2 == 4
    assert not after.is_paused


def test_a_pause_spanning_a_holiday_counts_only_its_working_days() -> None:
    # Paused 09-29 .. 10-08 (resumes 10-09): working days 09-29, 09-30, 10-08 only.
    case = ClockInput(
        accepted_on=date(2026, 9, 21),
        promised=working(10),
        pauses=(pause(date(2026, 9, 29), date(2026, 10, 9), PauseKind.REPORTED_UP),),
    )
    state = clock_state(CAL, case, today=date(2026, 10, 9))
    assert state.paused_working_days == 3
    # unpaused due is 10-12 (09-25 is Mid-Autumn); three more working days: 10-13 .. 10-15
    assert CAL.add_working_days(date(2026, 9, 21), 10) == date(2026, 10, 12)
    assert state.promised_due == date(2026, 10, 15)


def test_the_pause_day_of_the_clock_start_itself_is_not_counted() -> None:
    case = ClockInput(
        accepted_on=date(2026, 3, 2),
        promised=working(5),
        pauses=(pause(date(2026, 3, 2), date(2026, 3, 4)),),
    )
    state = clock_state(CAL, case, today=date(2026, 3, 4))
    assert state.paused_working_days == 1  # only 03-03
    assert state.promised_due == date(2026, 3, 10)


def test_an_open_pause_counts_until_today_and_keeps_moving_the_deadline() -> None:
    case = ClockInput(
        accepted_on=date(2026, 3, 2),
        promised=working(5),
        pauses=(pause(date(2026, 3, 4)),),
    )
    friday = clock_state(CAL, case, today=date(2026, 3, 6))
    assert friday.is_paused
    assert friday.paused_working_days == 3  # 03-04, 03-05, 03-06
    assert friday.working_days_used == 1  # 03-03
    assert friday.promised_due == date(2026, 3, 12)
    tuesday = clock_state(CAL, case, today=date(2026, 3, 10))
    assert tuesday.paused_working_days == 5
    assert tuesday.working_days_used == 1
    assert tuesday.promised_due == date(2026, 3, 16)
    assert not tuesday.is_overdue


def test_a_case_completed_while_paused_closes_the_pause_on_the_completion_day() -> None:
    case = ClockInput(
        accepted_on=date(2026, 3, 2),
        promised=working(5),
        pauses=(pause(date(2026, 3, 4)),),
        completed_on=date(2026, 3, 12),
    )
    state = clock_state(CAL, case, today=date(2026, 4, 30))
    assert not state.is_paused
    assert state.paused_working_days == 6  # 03-04 .. 03-11
    assert state.working_days_used == 2  # 03-03 and the completion day 03-12
    assert state.promised_due == date(2026, 3, 17)
    assert (state.on_time, state.early, state.is_overdue) == (True, True, False)
    assert state.working_days_left is None


def test_a_pause_begun_after_a_deadline_passed_does_not_move_that_deadline() -> None:
    # Promised due 03-09; paused 03-11 .. 03-19 (7 working days). Legal due 03-30 still running.
    case = ClockInput(
        accepted_on=date(2026, 3, 2),
        promised=working(5),
        legal=working(20),
        pauses=(pause(date(2026, 3, 11), date(2026, 3, 20)),),
    )
    state = clock_state(CAL, case, today=date(2026, 3, 23))
    assert state.paused_working_days == 7
    assert state.promised_due == date(2026, 3, 9)
    assert state.is_overdue
    # Qingming rests 04-04..04-06
    assert state.legal_due == CAL.add_working_days(date(2026, 3, 2), 27) == date(2026, 4, 9)
    assert state.working_days_used == 15 - 7


# --- extensions (延期) ----------------------------------------------------------------------


def test_an_extension_moves_both_deadlines() -> None:
    case = ClockInput(
        accepted_on=date(2026, 9, 30),
        promised=working(5),
        legal=natural(20),
        extension_working_days=3,
    )
    state = clock_state(CAL, case, today=date(2026, 10, 8))
    assert state.promised_due == date(2026, 10, 16)  # 10-13 + 10-14, 10-15, 10-16
    assert state.legal_due == date(2026, 10, 23)  # 09-30 + 23 natural days, a Friday


# --- natural-day limits ---------------------------------------------------------------------


def test_a_natural_day_legal_limit_rolls_off_a_holiday_to_a_working_day() -> None:
    case = ClockInput(accepted_on=date(2026, 9, 24), promised=working(3), legal=natural(7))
    assert clock_state(CAL, case, date(2026, 9, 24)).legal_due == date(2026, 10, 8)


def test_a_pause_moves_a_natural_day_limit_by_the_natural_days_paused() -> None:
    # Paused Fri 03-06 .. Sun 03-08 (resumes Mon 03-09): 3 natural days, 1 working day.
    case = ClockInput(
        accepted_on=date(2026, 3, 2),
        promised=working(5),
        legal=natural(20),
        pauses=(pause(date(2026, 3, 6), date(2026, 3, 9)),),
    )
    state = clock_state(CAL, case, today=date(2026, 3, 9))
    assert state.paused_working_days == 1
    assert state.promised_due == date(2026, 3, 10)
    # 03-02 + 20 = Sun 03-22; + 3 paused = Wed 03-25
    assert state.legal_due == date(2026, 3, 25)


# --- outcome: on time, early, overdue, legal breach -------------------------------------------


@pytest.mark.parametrize(
    ("completed_on", "on_time", "early", "overdue", "breach"),
    [
        (date(2026, 10, 12), True, True, False, False),  # a day before the promised due
        (date(2026, 10, 13), True, False, False, False),  # on the promised due date
        (date(2026, 10, 15), False, False, True, False),  # late, within the legal limit
        (date(2026, 10, 21), False, False, True, True),  # after the legal due 10-20
    ],
)
def test_a_completed_case_is_judged_against_the_promised_and_legal_due_dates(
    completed_on: date, on_time: bool, early: bool, overdue: bool, breach: bool
) -> None:
    case = ClockInput(
        accepted_on=date(2026, 9, 30),
        promised=working(5),
        legal=working(10),
        completed_on=completed_on,
    )
    state = clock_state(CAL, case, today=date(2026, 12, 31))
    assert (state.promised_due, state.legal_due) == (date(2026, 10, 13), date(2026, 10, 20))
    assert (state.on_time, state.early, state.is_overdue, state.legal_breach) == (
        on_time,
        early,
        overdue,
        breach,
    )


def test_an_open_case_has_no_outcome_and_counts_down_working_days_left() -> None:
    case = ClockInput(accepted_on=date(2026, 9, 30), promised=working(5), legal=working(10))
    state = clock_state(CAL, case, today=date(2026, 10, 9))
    assert state.on_time is None and state.early is None
    assert state.working_days_left == 3  # 10-10, 10-12, 10-13
    assert not state.is_overdue and not state.legal_breach


def test_an_open_case_past_its_due_date_is_overdue_with_negative_days_left() -> None:
    case = ClockInput(accepted_on=date(2026, 9, 30), promised=working(5), legal=working(10))
    late = clock_state(CAL, case, today=date(2026, 10, 16))
    assert late.is_overdue and not late.legal_breach
    assert late.working_days_left == -3  # 10-14, 10-15, 10-16
    breached = clock_state(CAL, case, today=date(2026, 10, 21))
    assert breached.legal_breach
    assert breached.working_days_left == -6


def test_a_case_without_a_legal_limit_never_breaches_it() -> None:
    case = ClockInput(accepted_on=date(2026, 9, 30), promised=working(5))
    state = clock_state(CAL, case, today=date(2026, 12, 31))
    assert state.legal_due is None and not state.legal_breach and state.is_overdue


# --- invalid input ----------------------------------------------------------------------------

ACCEPTED = date(2026, 3, 2)
VALID = ClockInput(accepted_on=ACCEPTED, promised=working(5))


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (replace(VALID, pauses=(pause(date(2026, 3, 6), date(2026, 3, 4)),)), "早于开始日期"),
        (
            replace(
                VALID,
                pauses=(
                    pause(date(2026, 3, 3), date(2026, 3, 6)),
                    pause(date(2026, 3, 5), date(2026, 3, 9)),
                ),
            ),
            "暂停时段重叠",
        ),
        (
            replace(VALID, pauses=(pause(date(2026, 3, 3)), pause(date(2026, 3, 10)))),
            "暂停时段重叠",
        ),
        (replace(VALID, pauses=(pause(date(2026, 2, 27), date(2026, 3, 4)),)), "早于计时起点"),
        (
            replace(
                VALID,
                complete_materials_on=date(2026, 3, 4),
                pauses=(pause(date(2026, 3, 3), date(2026, 3, 5)),),
            ),
            "早于计时起点",
        ),
        (replace(VALID, awaiting_materials=True, pauses=(pause(ACCEPTED),)), "尚未开始计时"),
        (replace(VALID, completed_on=date(2026, 2, 27)), "办结日期 2026-02-27 早于受理日期"),
        (replace(VALID, complete_materials_on=date(2026, 2, 27)), "材料补齐日期 2026-02-27 早于"),
        (replace(VALID, extension_working_days=-1), "延期天数不能为负数"),
        (replace(VALID, promised=working(-1)), "承诺时限天数不能为负数"),
        (replace(VALID, awaiting_materials=True, completed_on=ACCEPTED), "不能已办结"),
        (
            replace(VALID, pauses=(Pause(PauseKind.HEARING, " ", date(2026, 3, 3)),)),
            "未注明原因",
        ),
    ],
)
def test_invalid_input_is_rejected_with_a_chinese_message(case: ClockInput, message: str) -> None:
    assert any(message in error for error in check_input(case))
    with pytest.raises(ValueError, match=message):
        clock_state(CAL, case, today=date(2026, 3, 20))


def test_adjacent_pauses_and_a_zero_length_pause_are_valid() -> None:
    case = replace(
        VALID,
        pauses=(
            pause(date(2026, 3, 3), date(2026, 3, 5)),
            pause(date(2026, 3, 5), date(2026, 3, 6)),
            pause(date(2026, 3, 9), date(2026, 3, 9)),
        ),
    )
    assert check_input(case) == []
    assert clock_state(CAL, case, today=date(2026, 3, 20)).paused_working_days == 3


# --- missing calendar -------------------------------------------------------------------------


def test_a_due_date_in_an_unconfigured_year_raises_calendar_not_configured() -> None:
    case = ClockInput(accepted_on=date(2026, 12, 21), promised=working(10))
    with pytest.raises(CalendarNotConfigured) as raised:
        clock_state(CAL, case, today=date(2026, 12, 21))
    assert raised.value.year == 2027


# --- property ---------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    accepted=st.dates(date(2025, 1, 1), date(2025, 12, 31)),
    limit=st.integers(0, 30),
    offset=st.integers(0, 60),
    length=st.integers(0, 30),
)
def test_due_date_is_the_limit_plus_paused_working_days_and_uses_exactly_the_limit(
    accepted: date, limit: int, offset: int, length: int
) -> None:
    start = accepted + timedelta(days=offset)
    case = ClockInput(
        accepted_on=accepted,
        promised=working(limit),
        pauses=(pause(start, start + timedelta(days=length)),),
    )
    due = clock_state(CAL, case, today=date(2026, 6, 30)).promised_due
    assert due is not None
    on_due = clock_state(CAL, case, today=due)
    assert on_due.promised_due == due
    assert due == CAL.add_working_days(accepted, limit + on_due.paused_working_days)
    # An immediate case accepted on a rest day is due on the next working day: already day 1.
    rolled = limit == 0 and not CAL.is_working_day(accepted) and on_due.paused_working_days == 0
    assert on_due.working_days_used == (1 if rolled else limit)
    assert not on_due.is_overdue and on_due.working_days_left == 0
