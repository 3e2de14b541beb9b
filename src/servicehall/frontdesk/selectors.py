"""Reads for the front of hall: the queue as the plain-Python core sees it, the display screen,
waiting times, and the staff lists (scoped to the user's center)."""

from datetime import date, datetime, timedelta
from functools import cache
from typing import cast

from django.db import connection
from django.db.models import Count, Expression, F, Max, Q, QuerySet, Sum, Value
from django.db.models.expressions import Window as Over
from django.db.models.functions import Least, RowNumber
from django.utils import timezone

from servicehall.accounts.scoping import visible_rows
from servicehall.cases.models import Case
from servicehall.catalog.models import Window
from servicehall.core.calendar import calendar_for
from servicehall.core.errors import NotFound
from servicehall.core.models import Center
from servicehall.core.statements import fetch
from servicehall.core.workcalendar import CalendarNotConfigured

from . import figures, queueing
from .choices import AT_WINDOW, AppointmentStatus, TicketStatus
from .models import (
    Appointment,
    AppointmentSlot,
    BookingDay,
    Category,
    Consultation,
    HallPolicy,
    ServiceRecord,
    Ticket,
    TicketCall,
    WindowCategory,
)

RECENT_CALLS_SHOWN = 8
SERVICE_TIMES_SAMPLED = 50


def hall_policy(center: Center) -> HallPolicy:
    """The center's policy row, or an unsaved one with the defaults."""
    policy = HallPolicy.objects.filter(center=center).first()
    return policy or HallPolicy(center=center)


def queue_policy(policy: HallPolicy) -> queueing.Policy:
    return queueing.Policy(priority_order=tuple(policy.priority_order),
                           regular_per_priority=policy.regular_per_priority)


def waiting_counts(*, center: Center, day: date) -> dict[int, int]:
    rows = (Ticket.objects.filter(center=center, day=day, status=TicketStatus.WAITING)
            .values("category_id").annotate(n=Count("pk")).order_by())
    return {row["category_id"]: row["n"] for row in rows}


def window_category_ids(*, window: Window, waiting: dict[int, int]) -> frozenset[int]:
    """The categories a window calls from now: its own, and those it backs up whose queue has
    reached the threshold."""
    ids = set()
    for link in WindowCategory.objects.filter(window=window, category__is_active=True) \
            .select_related("category"):
        threshold = link.category.backup_threshold
        if not link.is_backup or (threshold is not None
                                  and waiting.get(link.category_id, 0) >= threshold):
            ids.add(link.category_id)
    return frozenset(ids)


def waiting_for_window(*, center: Center, day: date, category_ids: frozenset[int],
                       window: Window) -> list[queueing.Waiting]:
    """The heads of the queues a window may call from: the oldest ticket of each (priority
    kind, reserved window) group. The queueing rules only ever pick a group's oldest ticket,
    so a long queue costs one query and a handful of rows, not the whole queue."""
    rows = (Ticket.objects.filter(
        Q(category_id__in=category_ids, reserved_window__isnull=True)
        | Q(reserved_window=window),
        center=center, day=day, status=TicketStatus.WAITING,
    ).annotate(place=Over(RowNumber(), partition_by=[F("priority"), F("reserved_window_id")],
                            order_by=[F("queued_at").asc(), F("pk").asc()]))
        .filter(place=1)
        .values_list("pk", "category_id", "queued_at", "priority", "reserved_window_id"))
    return [queueing.Waiting(id=pk, category_id=category_id, queued_at=queued_at,
                             priority=priority, reserved_window_id=reserved)
            for pk, category_id, queued_at, priority, reserved in rows]


def ticket_at_window(*, window: Window) -> Ticket | None:
    return (Ticket.objects.filter(window=window, status__in=AT_WINDOW)
            .select_related("category").order_by("-called_at").first())


def categories(*, center: Center) -> QuerySet[Category]:
    return Category.objects.filter(center=center, is_active=True).order_by("sort_order", "code")


def public_category(*, center_code: str, code: str) -> Category:
    """An open category of an active center (its center loaded only when used). Every ticket a
    kiosk or the web issues starts here, so the statement is written out once per process (and
    prepared on PostgreSQL, core.statements) and its row made into a Category as a queryset
    would (the backend's converters, then `from_db`), without a queryset's per-call compiling."""
    sql, names, converters = _public_category_statement(connection.vendor)
    rows = fetch(sql, [center_code, code])
    if not rows:
        raise NotFound()
    values = list(rows[0])
    for i, convert, column in converters:
        values[i] = convert(values[i], column, connection)
    return Category.from_db(connection.alias, names, values)


@cache
def _public_category_statement(vendor: str) -> tuple[str, list[str], list[tuple]]:
    quote = connection.ops.quote_name
    fields = Category._meta.concrete_fields
    columns_of = [f.get_col("category") for f in fields]
    columns = ", ".join(f"category.{quote(cast(str, f.column))}" for f in fields)  # concrete
    converters = [(i, convert, column) for i, column in enumerate(columns_of) for convert in
                  connection.ops.get_db_converters(column)
                  + column.output_field.get_db_converters(connection)]
    sql = (f"SELECT {columns} FROM {quote(Category._meta.db_table)} category "
           f"JOIN {quote(Center._meta.db_table)} center ON center.id = category.center_id "
           "WHERE center.code = %s AND center.is_active AND category.code = %s "
           "AND category.is_active")
    return sql, [f.attname for f in fields], converters


def category(*, center: Center, code: str) -> Category:
    found = categories(center=center).filter(code=code).first()
    if found is None:
        raise NotFound()
    return found


# --- Display screen and waiting times ------------------------------------------------------

def _service_minutes(*, center: Center, day: date) -> dict[int, float]:
    """Mean recent service time per category, from the last tickets served (any day)."""
    since = day - timedelta(days=30)
    rows = (Ticket.objects.filter(center=center, status=TicketStatus.DONE, day__gte=since,
                                  started_at__isnull=False, finished_at__isnull=False)
            .order_by("-finished_at")
            .values_list("category_id", "started_at", "finished_at")[:SERVICE_TIMES_SAMPLED * 10])
    samples: dict[int, list[float]] = {}
    for category_id, started, finished in rows:
        bucket = samples.setdefault(category_id, [])
        if started is not None and finished is not None and len(bucket) < SERVICE_TIMES_SAMPLED:
            bucket.append((finished - started).total_seconds() / 60)
    return {cid: queueing.mean_service_minutes(values) for cid, values in samples.items()}


def _open_windows(*, center: Center, day: date) -> dict[int, int]:
    """Windows serving each category (own windows; backups are not promised to anyone)."""
    rows = (WindowCategory.objects.filter(category__center=center, is_backup=False,
                                          window__is_active=True)
            .values("category_id").annotate(n=Count("pk")).order_by())
    return {row["category_id"]: row["n"] for row in rows}


def wait_board(*, center: Center, day: date) -> list[dict]:
    """Per category: people waiting and the estimated wait of a newcomer, in minutes."""
    waiting = waiting_counts(center=center, day=day)
    minutes = _service_minutes(center=center, day=day)
    windows = _open_windows(center=center, day=day)
    board = []
    for cat in categories(center=center):
        ahead = waiting.get(cat.pk, 0)
        board.append({
            "code": cat.code, "name": cat.name, "prefix": cat.prefix, "waiting": ahead,
            "estimated_minutes": queueing.estimated_wait_minutes(
                waiting_ahead=ahead, open_windows=windows.get(cat.pk, 0),
                service_minutes=minutes.get(cat.pk, queueing.DEFAULT_SERVICE_MINUTES)),
        })
    return board


def ticket_wait(*, ticket: Ticket) -> tuple[int, int | None]:
    """People ahead of a waiting ticket in its category, and the minutes until its call."""
    ahead = Ticket.objects.filter(center_id=ticket.center_id, day=ticket.day,
                                  category_id=ticket.category_id, status=TicketStatus.WAITING,
                                  queued_at__lt=ticket.queued_at).count()
    minutes = _service_minutes(center=ticket.center, day=ticket.day).get(
        ticket.category_id, queueing.DEFAULT_SERVICE_MINUTES)
    windows = _open_windows(center=ticket.center, day=ticket.day).get(ticket.category_id, 0)
    return ahead, queueing.estimated_wait_minutes(waiting_ahead=ahead, open_windows=windows,
                                                  service_minutes=minutes)


def recent_calls(*, center: Center, after_id: int = 0,
                 limit: int = RECENT_CALLS_SHOWN) -> list[dict]:
    calls = (TicketCall.objects.filter(center=center, pk__gt=after_id)
             .order_by("-pk").values("pk", "ticket__number", "window__number", "at",
                                     "announcement")[:limit])
    return [{"id": c["pk"], "number": c["ticket__number"], "window": c["window__number"],
             "at": timezone.localtime(c["at"]).strftime("%H:%M:%S"),
             "announcement": c["announcement"]} for c in calls]


def display_signature(*, center: Center, day: date) -> tuple:
    """Changes whenever a ticket of the day is issued or changes state, or a call is made: the
    live stream rebuilds the snapshot only then (two small aggregates instead of the board)."""
    tickets = Ticket.objects.filter(center=center, day=day).aggregate(
        n=Count("pk"), revisions=Sum("revision"))
    calls = TicketCall.objects.filter(center=center).aggregate(last=Max("pk"))
    return day, tickets["n"], tickets["revisions"], calls["last"]


def display_snapshot(*, center: Center, day: date) -> dict:
    """What a display screen shows: the last calls and the queue of every category."""
    return {"calls": recent_calls(center=center),
            "categories": wait_board(center=center, day=day)}


# --- Staff lists ---------------------------------------------------------------------------

def tickets_for_staff(*, user, day: date, status: str = "") -> QuerySet[Ticket]:
    tickets = Ticket.objects.filter(visible_rows(user, department_lookup=None), day=day)
    if status:
        tickets = tickets.filter(status=status)
    return tickets.select_related("category", "window").order_by("prefix", "seq")


def ticket_for_staff(*, user, pk: int) -> Ticket:
    ticket = (Ticket.objects.filter(visible_rows(user, department_lookup=None), pk=pk)
              .select_related("category", "window", "center").first())
    if ticket is None:
        raise NotFound()
    return ticket


def windows_for_calling(*, user) -> QuerySet[Window]:
    return (Window.objects.filter(visible_rows(user, department_lookup=None), is_active=True,
                                  category_links__isnull=False)
            .distinct().order_by("sort_order", "number"))


def open_slots(*, category: Category, day: date) -> QuerySet[AppointmentSlot]:
    """The day's slots with their free places, which a full day (the category's daily
    capacity) brings to nought."""
    free: Expression = F("capacity") - F("booked")
    if category.daily_capacity is not None:
        taken = (BookingDay.objects.filter(category=category, day=day)
                 .values_list("booked", flat=True).first() or 0)
        free = Least(free, Value(max(0, category.daily_capacity - taken)))
    return (AppointmentSlot.objects.filter(category=category, day=day)
            .annotate(free_places=free).order_by("start"))


def appointments_for_staff(*, user, day: date) -> QuerySet[Appointment]:
    return (Appointment.objects.filter(visible_rows(user, department_lookup=None),
                                       slot__day=day)
            .select_related("slot", "slot__category", "ticket")
            .order_by("slot__start", "pk"))


def appointment_by_reference(*, center: Center, reference: str) -> Appointment:
    found = (Appointment.objects.filter(center=center, reference=reference.strip().upper())
             .select_related("slot", "slot__category", "ticket").first())
    if found is None:
        raise NotFound()
    return found


def missed_appointments(*, center: Center, phone: str, since: date) -> int:
    return Appointment.objects.filter(center=center, phone=phone, status=AppointmentStatus.NO_SHOW,
                                      slot__day__gte=since).count()


def public_center(*, code: str) -> Center:
    center = Center.objects.filter(code=code, is_active=True).first()
    if center is None:
        raise NotFound()
    return center


def window_for_staff(*, user, pk: int) -> Window:
    window = (Window.objects.filter(visible_rows(user, department_lookup=None), pk=pk,
                                    is_active=True).select_related("center").first())
    if window is None:
        raise NotFound()
    return window


def slot(*, center: Center, pk: int) -> AppointmentSlot:
    found = (AppointmentSlot.objects.filter(center=center, pk=pk)
             .select_related("category", "center").first())
    if found is None:
        raise NotFound()
    return found


MAX_STATISTICS_DAYS = 92


def ticket_rows(*, user, first: date, last: date) -> list[figures.TicketRow]:
    """The tickets of the user's hall between two days (at most a quarter), as rows for the
    statistics, in one query."""
    last = min(last, first + timedelta(days=MAX_STATISTICS_DAYS - 1))
    local = timezone.localtime
    rows = (Ticket.objects.filter(visible_rows(user, department_lookup=None),
                                  day__gte=first, day__lte=last)
            .values_list("category__name", "window__number", "served_by__full_name", "status",
                         "day", "issued_at", "first_called_at", "started_at", "finished_at"))
    return [figures.TicketRow(
        category=category, window=window, staff=staff, status=status, day=day,
        issued_at=local(issued), first_called_at=called and local(called),
        started_at=started and local(started), finished_at=finished and local(finished))
        for category, window, staff, status, day, issued, called, started, finished in rows]


def consultations_by_channel(*, user, first: date, last: date) -> dict[str, int]:
    rows = (Consultation.objects.filter(visible_rows(user, department_lookup=None),
                                        at__date__gte=first, at__date__lte=last)
            .values("channel").annotate(n=Count("pk")).order_by())
    return {row["channel"]: row["n"] for row in rows}


def recent_consultations(*, user, limit: int = 20) -> QuerySet[Consultation]:
    return (Consultation.objects.filter(visible_rows(user, department_lookup=None))
            .select_related("item__current_version", "department", "guided_to",
                            "first_responder").order_by("-at")[:limit])


def service_rows(*, user, first: date, last: date) -> list[figures.ServiceRow]:
    rows = (ServiceRecord.objects.filter(visible_rows(user, department_lookup=None),
                                         day__gte=first, day__lte=last)
            .values_list("kind", "department_id", "day", "start", "end", "cases_handled"))
    return [figures.ServiceRow(kind=kind, department=str(department), day=day,
                               hours=(datetime.combine(day, end) - datetime.combine(day, start))
                               .total_seconds() / 3600, cases=cases)
            for kind, department, day, start, end, cases in rows]


def recent_service_records(*, user, limit: int = 20) -> QuerySet[ServiceRecord]:
    return (ServiceRecord.objects.filter(visible_rows(user, department_lookup=None))
            .select_related("department", "window").order_by("-day", "-start")[:limit])


def hall_totals(*, center: Center, first: date, last: date) -> dict[str, int]:
    """Departments of the hall, cases received and working days in the period: the bases of
    the shares the service statistics print."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    try:
        calendar = calendar_for(center)
        working = sum(1 for d in days if calendar.is_working_day(d))
    except CalendarNotConfigured:
        working = 0
    return {
        "departments": center.departments.filter(is_active=True).count(),
        "cases": Case.objects.filter(center=center, received_on__gte=first,
                                     received_on__lte=last).count(),
        "working_days": working,
    }


def case_for_receipt(*, pk: int) -> Case:
    """The whole case for a reprinted notice, once the terminal's lookup has found it."""
    return Case.objects.select_related("center", "item_version", "department", "item").get(pk=pk)


def ticket_for_slip(*, center: Center, pk: int) -> Ticket:
    found = Ticket.objects.filter(center=center, pk=pk).select_related("category").first()
    if found is None:
        raise NotFound()
    return found


def public_window(*, center: Center, number: str) -> Window:
    found = Window.objects.filter(center=center, number=number, is_active=True).first()
    if found is None:
        raise NotFound()
    return found
