"""The front of hall of the demo hall: business categories over the demo departments, windows
mapped to them (backup windows at peak), today's queue and next working day's appointments.

Idempotent: categories and mappings are set once; tickets are added only when the hall has
none today, appointments only when the day has none, so re-running keeps the demo alive."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from servicehall.catalog.models import Department, Window
from servicehall.core.calendar import calendar_for
from servicehall.core.models import Center
from servicehall.core.workcalendar import CalendarNotConfigured

from . import services
from .models import Appointment, Category, Ticket, WindowCategory

CATEGORIES = [
    # code, name, prefix, departments, bookable, backup threshold
    ("SSDJ", "商事登记", "A", ["SCJG", "GS", "DS", "JMXXW", "KCW"], True, 15),
    ("TZJS", "投资建设", "B", ["FGW", "GTW", "ZJJ", "RJW", "XF", "SWJ", "JTW", "CGJ"], True,
     None),
    ("SHSW", "社会事务", "C", ["RSJ", "MZJ", "WJW", "JYJ", "SFJ", "WTLY", "DAJ"], True, None),
    ("GAJJ", "公安交警", "D", ["GAJ", "JJ"], False, 10),
    ("SWSW", "涉外商务", "E", ["WB", "HG", "JYJY", "WHJ", "MCW", "DZKA"], False, None),
    ("ZHQT", "其他业务", "F", ["YJJ", "WXD", "CZW", "QXJ", "TJJ", "SJJ", "YJB"], False, None),
]
BACKUP_WINDOW_NAME = "后备窗口"
DAILY_CAPACITY = {"SSDJ": 60}  # bookings a day: fewer than its slots together hold
TODAY_TICKETS = [("SSDJ", 6), ("TZJS", 3), ("SHSW", 4), ("GAJJ", 5), ("SWSW", 2)]


def _categories(center: Center) -> dict[str, Category]:
    existing = {c.code: c for c in Category.objects.filter(center=center)}
    if len(existing) == len(CATEGORIES):
        return existing
    departments = {d.code: d for d in Department.objects.filter(center=center)}
    result = {}
    for position, (code, name, prefix, codes, bookable, threshold) in enumerate(CATEGORIES, 1):
        result[code] = services.category_save(
            center=center, code=code, name=name, prefix=prefix, sort_order=position,
            departments=[departments[c] for c in codes if c in departments],
            is_bookable=bookable, backup_threshold=threshold,
            daily_capacity=DAILY_CAPACITY.get(code), by=None)
    return result


def _map_windows(center: Center, categories: dict[str, Category]) -> int:
    if WindowCategory.objects.filter(window__center=center).exists():
        return WindowCategory.objects.filter(window__center=center).values("window").distinct() \
            .count()
    of_department = {d_id: cat for cat in categories.values()
                     for d_id in cat.departments.values_list("pk", flat=True)}
    mapped = 0
    for window in Window.objects.filter(center=center).prefetch_related("served_departments"):
        if window.name == BACKUP_WINDOW_NAME:
            backups = [categories["SSDJ"], categories["GAJJ"]]
            services.window_categories_set(window=window, categories=[], backup_for=backups,
                                           by=None)
        else:
            ids = ([window.department_id] if window.department_id
                   else [d.pk for d in window.served_departments.all()])
            served = list({of_department[i].pk: of_department[i] for i in ids
                           if i in of_department}.values())
            if not served:
                continue
            services.window_categories_set(window=window, categories=served, by=None)
        mapped += 1
    return mapped


def _today_queue(center: Center, categories: dict[str, Category]) -> int:
    today = timezone.localdate()
    if Ticket.objects.filter(center=center, day=today).exists():
        return 0
    issued = 0
    for code, count in TODAY_TICKETS:
        for n in range(count):
            services.ticket_issue(category=categories[code], channel="kiosk", by=None)
            issued += 1
            if n == 1:
                services.ticket_issue(category=categories[code], channel="guide_desk",
                                      priority="care", by=None)
                issued += 1
    for window in Window.objects.filter(center=center, category_links__is_backup=False) \
            .distinct().order_by("sort_order")[:4]:
        ticket = services.ticket_call_next(window=window, by=None)
        services.ticket_start(ticket=ticket, by=None)
    return issued


def _appointments(center: Center, categories: dict[str, Category]) -> int:
    today = timezone.localdate()
    try:
        day = calendar_for(center).next_working_day(today + timedelta(days=1))
    except CalendarNotConfigured:
        return 0
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    services.saturday_service_add(center=center, day=saturday, note="周六预约服务", by=None)
    if Appointment.objects.filter(center=center, slot__day=day).exists():
        return 0
    booked = 0
    for code, people in (("SSDJ", [("孙丽", "13800138000"), ("周杰", "13900139000")]),
                         ("TZJS", [("深圳市示例科技有限公司 李明", "13700137000")])):
        slot = services.slots_open(category=categories[code], day=day).first()
        for name, phone in people:
            services.appointment_book(slot=slot, applicant_name=name, phone=phone, by=None,
                                      channel="phone")
            booked += 1
    return booked


@transaction.atomic
def load_frontdesk_demo(center: Center, *, log=print) -> None:
    categories = _categories(center)
    windows = _map_windows(center, categories)
    tickets = _today_queue(center, categories)
    appointments = _appointments(center, categories)
    log(f"front of hall: {len(categories)} categories, {windows} windows mapped, "
        f"{tickets} tickets issued today, {appointments} appointments booked")
