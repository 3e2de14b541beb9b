"""Queue statistics, without a database."""

from datetime import date, datetime, timedelta

from servicehall.frontdesk.figures import TicketRow, busiest_hours, summarize

TODAY = date(2026, 11, 24)
NINE = datetime(2026, 11, 23, 9, 0)  # a Monday


def row(status="done", wait=10, service=5, category="商事登记", window="1", staff="陈晓",
        day=date(2026, 11, 23), at=NINE):
    called = at + timedelta(minutes=wait) if status in ("done", "no_show", "called") else None
    started = called if status == "done" else None
    finished = started + timedelta(minutes=service) if started else None
    return TicketRow(category=category, window=window if called else None,
                     staff=staff if started else None, status=status, day=day, issued_at=at,
                     first_called_at=called, started_at=started, finished_at=finished)


def test_waiting_and_service_times_give_mean_and_p90():
    rows = [row(wait=w, service=s) for w, s in zip(range(1, 11), range(11, 21), strict=True)]
    total = summarize(rows, today=TODAY).total
    assert total.tickets == total.served == 10
    assert total.mean_wait == 5.5 and total.p90_wait == 9
    assert total.mean_service == 15.5 and total.p90_service == 19


def test_no_show_rate_counts_among_tickets_that_were_called():
    rows = [row(), row(), row(), row(status="no_show"), row(status="waiting", day=TODAY)]
    assert summarize(rows, today=TODAY).total.no_show_rate == 0.25


def test_a_ticket_still_waiting_when_its_day_is_over_was_abandoned():
    rows = [row(status="waiting"), row(status="called"), row(status="waiting", day=TODAY)]
    assert summarize(rows, today=TODAY).total.abandoned == 2


def test_groups_by_category_window_and_staff_busiest_first():
    rows = [row(category="交通车驾管", window="2", staff="林芳"), row(), row()]
    figures = summarize(rows, today=TODAY)
    assert [g.name for g in figures.by_category] == ["商事登记", "交通车驾管"]
    assert [(g.name, g.served) for g in figures.by_window] == [("1", 2), ("2", 1)]
    assert [g.name for g in figures.by_staff] == ["陈晓", "林芳"]


def test_the_heat_map_counts_tickets_per_weekday_and_hour():
    rows = [row(at=NINE), row(at=NINE + timedelta(minutes=30)),
            row(at=NINE + timedelta(days=1, hours=5))]
    figures = summarize(rows, today=TODAY)
    assert figures.heat[0][9 - 7] == 2 and figures.heat[1][14 - 7] == 1
    assert figures.heat_max == 2 and busiest_hours(figures)[0] == (9, 2)
