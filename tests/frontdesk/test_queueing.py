"""The queue rules, without a database."""

from datetime import datetime, timedelta

from servicehall.frontdesk.queueing import (
    Policy,
    Waiting,
    WindowView,
    choose_next,
    estimated_wait_minutes,
    mean_service_minutes,
    percentile,
    regular_count_after,
)

T0 = datetime(2026, 11, 24, 9, 0)
POLICY = Policy()


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def window(*categories, since_priority=1000, id=1):
    return WindowView(id=id, category_ids=frozenset(categories),
                      regular_since_priority=since_priority)


def test_regular_tickets_are_called_first_come_first_served():
    queue = [Waiting(2, 10, at(5)), Waiting(1, 10, at(1)), Waiting(3, 10, at(9))]
    assert choose_next(window(10), queue, POLICY).id == 1


def test_a_window_calls_only_from_its_own_categories():
    queue = [Waiting(1, 20, at(1)), Waiting(2, 10, at(5))]
    assert choose_next(window(10), queue, POLICY).id == 2
    assert choose_next(window(30), queue, POLICY) is None


def test_a_comprehensive_window_serves_all_its_categories_in_arrival_order():
    queue = [Waiting(1, 20, at(3)), Waiting(2, 10, at(5))]
    assert choose_next(window(10, 20), queue, POLICY).id == 1


def test_a_priority_ticket_goes_before_regular_ones_when_fairness_allows():
    queue = [Waiting(1, 10, at(1)), Waiting(2, 10, at(8), priority="care")]
    assert choose_next(window(10, since_priority=3), queue, POLICY).id == 2


def test_at_most_one_priority_ticket_for_every_three_regular_ones():
    queue = [Waiting(1, 10, at(1)), Waiting(2, 10, at(8), priority="care")]
    for regular_since in (0, 1, 2):
        assert choose_next(window(10, since_priority=regular_since), queue, POLICY).id == 1


def test_a_run_of_calls_interleaves_one_priority_after_three_regular():
    queue = [Waiting(i, 10, at(i)) for i in range(1, 9)]
    queue += [Waiting(100 + i, 10, at(i), priority="green") for i in range(1, 4)]
    since, called = 1000, []
    while queue:
        ticket = choose_next(window(10, since_priority=since), queue, POLICY)
        called.append("P" if ticket.is_priority else "R")
        since = regular_count_after(ticket, since)
        queue.remove(ticket)
    assert "".join(called) == "PRRRPRRRPRR"


def test_a_priority_ticket_is_called_at_once_when_no_regular_ticket_waits():
    queue = [Waiting(2, 10, at(8), priority="supplement")]
    assert choose_next(window(10, since_priority=0), queue, POLICY).id == 2


def test_priority_kinds_follow_the_configured_order_then_arrival():
    queue = [Waiting(1, 10, at(1), priority="supplement"), Waiting(2, 10, at(5), priority="care"),
             Waiting(3, 10, at(9), priority="appointment")]
    assert choose_next(window(10), queue, POLICY).id == 3
    care_first = Policy(priority_order=("care", "appointment", "green", "supplement"))
    assert choose_next(window(10), queue, care_first).id == 2


def test_a_ticket_transferred_to_a_window_is_called_there_first_and_nowhere_else():
    queue = [Waiting(1, 10, at(1)), Waiting(2, 20, at(9), reserved_window_id=1)]
    assert choose_next(window(10, id=1), queue, POLICY).id == 2
    assert choose_next(window(10, 20, id=2), queue, POLICY).id == 1


def test_a_requeued_ticket_waits_behind_those_who_came_before_its_return():
    queue = [Waiting(1, 10, at(30)), Waiting(5, 10, at(20))]  # 1 rejoined at minute 30
    assert choose_next(window(10), queue, POLICY).id == 5


def test_estimated_wait_spreads_the_people_ahead_over_the_open_windows():
    assert estimated_wait_minutes(waiting_ahead=6, open_windows=2, service_minutes=10) == 30
    assert estimated_wait_minutes(waiting_ahead=1, open_windows=3, service_minutes=10) == 4
    assert estimated_wait_minutes(waiting_ahead=0, open_windows=0, service_minutes=10) == 0
    assert estimated_wait_minutes(waiting_ahead=3, open_windows=0, service_minutes=10) is None


def test_mean_service_time_ignores_the_slowest_and_quickest_tenth():
    assert mean_service_minutes([5.0] * 9 + [500.0] + [0.0]) == 5.0
    assert mean_service_minutes([]) == 10.0


def test_p90_is_the_nearest_rank():
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile([], 0.9) is None
