"""The light of one case, on the official 2025-2026 calendar (plain Python, no database).

National Day 2026 rests Thu 10-01..Wed 10-07, Sat 10-10 is a make-up working day; Spring
Festival 2026 rests 02-15..02-23, Sat 02-14 and Sat 02-28 are make-up working days.
"""

from datetime import date

import pytest

from servicehall.core.official_calendar import official_days
from servicehall.core.workcalendar import WorkCalendar
from servicehall.supervision.lights import (
    Boundaries,
    CaseFacts,
    Light,
    Reason,
    Thresholds,
    boundaries,
    classify,
    finish_by,
    light_on,
    suspension_overrun,
    untouched,
    untouched_cutoff,
)

CAL = WorkCalendar.from_days(d for d in official_days() if d.date.year in (2025, 2026))


def facts(start, due, **kw):
    return CaseFacts(paused=kw.pop("paused", False), clock_start=start, promised_due=due, **kw)


def test_calendar_facts_these_tests_rely_on():
    assert not any(CAL.is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert CAL.is_working_day(date(2026, 10, 8)) and CAL.is_working_day(date(2026, 10, 10))
    assert CAL.is_working_day(date(2026, 2, 14)) and CAL.is_working_day(date(2026, 2, 28))
    assert not CAL.is_working_day(date(2026, 2, 23))


def test_a_case_with_plenty_of_time_left_is_green():
    assert classify(facts(date(2026, 6, 1), date(2026, 6, 15)), CAL, date(2026, 6, 3)) == (
        Light.GREEN, Reason.NONE)


def test_one_working_day_left_is_a_warning():
    # due Fri 06-12: on Thu 06-11 one working day is left, on Wed 06-10 two
    case = facts(date(2026, 6, 5), date(2026, 6, 12))
    assert classify(case, CAL, date(2026, 6, 10))[0] == Light.GREEN
    assert classify(case, CAL, date(2026, 6, 11)) == (Light.YELLOW, Reason.DUE_SOON)


def test_the_deadline_itself_is_still_yellow_and_the_day_after_is_red():
    case = facts(date(2026, 6, 5), date(2026, 6, 12))
    assert classify(case, CAL, date(2026, 6, 12)) == (Light.YELLOW, Reason.DUE_SOON)
    assert classify(case, CAL, date(2026, 6, 13)) == (Light.RED, Reason.OVERDUE)


def test_twenty_percent_of_the_promised_time_left_is_a_warning():
    # 20 working days promised: the warning starts when 4 are left
    start = date(2026, 6, 1)
    due = CAL.add_working_days(start, 20)
    case = facts(start, due)
    assert classify(case, CAL, CAL.add_working_days(start, 15))[0] == Light.GREEN
    assert classify(case, CAL, CAL.add_working_days(start, 16)) == (Light.YELLOW,
                                                                    Reason.DUE_SOON)


def test_the_warning_counts_working_days_across_national_day():
    # due Thu 10-08; Wed 09-30 leaves one working day (10-08): the holiday is not counted
    case = facts(date(2026, 9, 28), date(2026, 10, 8))
    assert classify(case, CAL, date(2026, 9, 29))[0] == Light.GREEN
    assert classify(case, CAL, date(2026, 9, 30)) == (Light.YELLOW, Reason.DUE_SOON)
    assert classify(case, CAL, date(2026, 10, 3))[0] == Light.YELLOW


def test_a_make_up_saturday_counts_as_working_time_left():
    # due Mon 10-12: on Fri 10-09 two working days remain (Sat 10-10 works), so still green
    case = facts(date(2026, 9, 30), date(2026, 10, 12))
    assert classify(case, CAL, date(2026, 10, 9))[0] == Light.GREEN
    assert classify(case, CAL, date(2026, 10, 10))[0] == Light.YELLOW


def test_the_warning_skips_the_spring_festival():
    # due Tue 02-24, the first working day after the festival: warned from Sat 02-14
    case = facts(date(2026, 2, 9), date(2026, 2, 24))
    assert classify(case, CAL, date(2026, 2, 13))[0] == Light.GREEN
    assert classify(case, CAL, date(2026, 2, 14))[0] == Light.YELLOW
    assert classify(case, CAL, date(2026, 2, 20))[0] == Light.YELLOW


def test_overdue_during_a_holiday_is_red():
    case = facts(date(2026, 9, 1), date(2026, 9, 30))
    assert classify(case, CAL, date(2026, 10, 2)) == (Light.RED, Reason.OVERDUE)


def test_past_the_legal_limit_is_a_legal_breach():
    case = facts(date(2026, 5, 1), date(2026, 6, 1), legal_due=date(2026, 6, 10))
    assert classify(case, CAL, date(2026, 6, 10)) == (Light.RED, Reason.OVERDUE)
    assert classify(case, CAL, date(2026, 6, 11)) == (Light.RED, Reason.LEGAL_BREACH)


def test_a_step_past_its_due_date_turns_the_case_yellow():
    case = facts(date(2026, 6, 1), date(2026, 6, 30), step_due=date(2026, 6, 3))
    assert classify(case, CAL, date(2026, 6, 3))[0] == Light.GREEN
    assert classify(case, CAL, date(2026, 6, 4)) == (Light.YELLOW, Reason.STEP_OVERDUE)


def test_a_suspended_case_is_paused_whatever_its_dates():
    case = facts(date(2026, 5, 1), date(2026, 5, 10), paused=True)
    assert classify(case, CAL, date(2026, 6, 1)) == (Light.PAUSED, Reason.PAUSED)


def test_a_deadline_in_an_unconfigured_year_is_unknown_never_guessed():
    case = facts(date(2026, 12, 1), date(2027, 1, 5))
    assert classify(case, CAL, date(2026, 12, 2)) == (Light.UNKNOWN, Reason.NO_DEADLINE)
    assert classify(facts(None, None), CAL, date(2026, 12, 2))[0] == Light.UNKNOWN


def test_thresholds_are_configurable():
    case = facts(date(2026, 6, 5), date(2026, 6, 12))
    three_days = Thresholds(warn_working_days=3, warn_percent=0)
    assert classify(case, CAL, date(2026, 6, 9), three_days)[0] == Light.YELLOW
    assert classify(case, CAL, date(2026, 6, 8), three_days)[0] == Light.GREEN


def test_boundaries_read_the_same_light_as_a_full_classification_every_day():
    case = facts(date(2026, 9, 14), date(2026, 10, 13), step_due=date(2026, 9, 29),
                 legal_due=date(2026, 10, 20))
    b = boundaries(case, CAL)
    day = date(2026, 9, 14)
    while day <= date(2026, 10, 31):
        assert light_on(b, day) == classify(case, CAL, day)
        day = day.fromordinal(day.toordinal() + 1)


def test_unknown_boundaries_have_no_red_day():
    assert not Boundaries().known and light_on(Boundaries(), date(2026, 1, 1))[0] == Light.UNKNOWN


def test_a_yellow_card_gives_two_working_days_across_national_day():
    assert finish_by(CAL, date(2026, 9, 30)) == date(2026, 10, 9)
    assert finish_by(CAL, date(2026, 10, 9)) == date(2026, 10, 12)  # Sat 10-10 works


def test_a_suspension_longer_than_announced_is_an_overrun():
    start = date(2026, 9, 28)  # Mon; 3 working days: 09-29, 09-30, 10-08
    assert not suspension_overrun(CAL, start=start, expected_working_days=3,
                                  today=date(2026, 10, 8))
    assert suspension_overrun(CAL, start=start, expected_working_days=3, today=date(2026, 10, 9))
    assert not suspension_overrun(CAL, start=start, expected_working_days=None,
                                  today=date(2026, 12, 1))


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 10, 8), False),  # accepted Tue 09-29: 09-30, 10-08 = 2 working days
    (date(2026, 10, 9), True),
])
def test_a_case_untouched_for_three_working_days_is_flagged(today, expected):
    assert untouched(CAL, accepted_on=date(2026, 9, 29), handled=False, today=today) is expected
    assert (date(2026, 9, 29) <= untouched_cutoff(CAL, today)) is expected


def test_a_handled_case_is_never_untouched():
    assert not untouched(CAL, accepted_on=date(2026, 9, 1), handled=True,
                         today=date(2026, 12, 1))
