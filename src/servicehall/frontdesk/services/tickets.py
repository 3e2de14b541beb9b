"""Tickets: issue (kiosk, guide desk, web, appointment check-in), call, recall, no-show and
re-queue, start, finish with the cases served, transfer. Every state change locks the ticket
row and checks its state; numbers come from a counter row locked in the issuing transaction."""

from datetime import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from servicehall.cases.models import Case
from servicehall.catalog.models import Window
from servicehall.core import audit
from servicehall.core.audited import audited_service
from servicehall.core.choices import MessageChannel
from servicehall.core.counters import bump
from servicehall.core.errors import Conflict, ValidationFailed
from servicehall.core.inserts import insert
from servicehall.core.outbox import enqueue
from servicehall.core.permissions import require_perm

from .. import queueing, selectors
from ..choices import (
    AT_WINDOW,
    CALLABLE_AGAIN,
    TRANSFERABLE,
    Priority,
    TicketChannel,
    TicketStatus,
)
from ..models import Category, Ticket, TicketCall, TicketCounter, WindowState

SELF_SERVICE = frozenset({TicketChannel.KIOSK, TicketChannel.WEB})  # no priority by oneself
CALL_ATTEMPTS = 50  # another window may take the chosen ticket first: each loss means
# a ticket was called elsewhere, so the loop makes progress; the bound is only a safety net


class TicketStateError(Conflict):
    code = "invalid_state"


class QueueEmpty(Conflict):
    code = "queue_empty"


def next_ticket_seq(*, center_id: int, day, prefix: str) -> int:
    """The next number of the day for `prefix`: gapless, because the counter row stays locked
    by the increment until the ticket that uses the number commits (or both roll back)."""
    return bump(TicketCounter, key={"center_id": center_id, "day": day, "prefix": prefix},
                column="last")


def ticket_number(prefix: str, seq: int) -> str:
    return f"{prefix}{seq:03d}"


def announcement(ticket: Ticket, window: Window) -> str:
    """The sentence the hall's voice device speaks, always in the hall's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Ticket {number}, please go to window {window}.").format(
            number=ticket.number, window=window.number)


def _locked(ticket: Ticket, *, allowed) -> Ticket:
    ticket = (Ticket.objects.select_for_update(of=("self",))
              .select_related("center", "category").get(pk=ticket.pk))
    if ticket.status not in allowed:
        raise TicketStateError(_("Ticket {number} is “{status}”; this cannot be done now.")
                               .format(number=ticket.number, status=ticket.get_status_display()))
    return ticket


def _save(ticket: Ticket, *, action: str, by, before: dict) -> Ticket:
    ticket.revision += 1
    ticket.save()
    audit.record(action, obj=ticket, by=by, changes=audit.diff(before, audit.snapshot(ticket)))
    return ticket


def _check_backup_alert(ticket: Ticket, *, waiting: int, by) -> None:
    """Tell the floor when a queue reaches the point where backup windows join (seed 000:
    windows 47 and 50 at peak)."""
    threshold = ticket.category.backup_threshold
    if threshold is None or waiting != threshold:
        return
    with translation.override(settings.LANGUAGE_CODE):  # the hall's language, as the SMS
        message = _("{category}: {waiting} waiting, backup windows join.").format(
            category=ticket.category.name, waiting=waiting)
    audit.record("frontdesk.backup_windows_opened", obj=ticket.category, by=by, message=message)
    for mobile in selectors.hall_policy(ticket.center).floor_manager_mobiles:
        enqueue(center=ticket.center, channel=MessageChannel.SMS, recipient=mobile,
                body=message, event="backup_windows_opened", obj=ticket.category)


@audited_service("frontdesk.ticket_issue")
def ticket_issue(*, category: Category, channel: str, by, priority: str = Priority.REGULAR,
                 phone: str = "", now: datetime | None = None) -> Ticket:
    """A new ticket at the back of the category's queue (priority tickets are ordered by the
    queueing rules). Kiosks and the web give regular tickets only: priority is granted at the
    guide desk, or by checking an appointment in."""
    require_perm(by, "frontdesk.issue_ticket", category)
    errors: dict[str, list[str]] = {}
    if not category.is_active:
        errors["category"] = [_("This business category is not open.")]
    if channel not in TicketChannel.values:
        errors["channel"] = [_("Choose how the ticket is issued.")]
    if priority not in Priority.values:
        errors["priority"] = [_("Choose one of the priority kinds.")]
    elif priority != Priority.REGULAR and channel in SELF_SERVICE:
        errors["priority"] = [_("Priority tickets are issued at the guide desk.")]
    if errors:
        raise ValidationFailed(fields=errors)
    now = now or timezone.now()
    day = timezone.localdate(now)
    seq = next_ticket_seq(center_id=category.center_id, day=day, prefix=category.prefix)
    ticket = insert(Ticket(
        center_id=category.center_id, category=category, day=day, prefix=category.prefix, seq=seq,
        number=ticket_number(category.prefix, seq), priority=priority, channel=channel,
        phone=phone.strip(), issued_at=now, queued_at=now,
        issued_by=by if by is not None and by.is_authenticated else None))
    audit.record("frontdesk.ticket_issued", obj=ticket, by=by, changes={
        "number": [None, ticket.number], "priority": [None, priority],
        "channel": [None, channel]})
    if category.backup_threshold is not None:
        waiting = Ticket.objects.filter(center_id=category.center_id, day=day, category=category,
                                        status=TicketStatus.WAITING).count()
        _check_backup_alert(ticket, waiting=waiting, by=by)
    return ticket


def _call(ticket: Ticket, *, window: Window, now: datetime) -> None:
    ticket.window = window
    ticket.reserved_window = None
    ticket.called_at = now
    ticket.first_called_at = ticket.first_called_at or now
    ticket.call_count += 1
    TicketCall.objects.create(center_id=ticket.center_id, ticket=ticket, window=window, at=now,
                              announcement=announcement(ticket, window))


def _window_state(window: Window) -> WindowState:
    WindowState.objects.bulk_create([WindowState(window=window)], ignore_conflicts=True)
    return WindowState.objects.select_for_update().get(window=window)


@audited_service("frontdesk.ticket_call_next")
def ticket_call_next(*, window: Window, by, now: datetime | None = None) -> Ticket:
    """Call the next ticket to `window` by the queueing rules. The window row is locked, so one
    window calls one ticket at a time; a ticket is taken with a compare-and-set on its status,
    so two windows never call the same one."""
    require_perm(by, "frontdesk.call_ticket", window)
    state = _window_state(window)
    current = selectors.ticket_at_window(window=window)
    if current is not None:
        raise TicketStateError(_("Window {window} still has ticket {number}; finish it or mark "
                                 "it as no-show first.").format(window=window.number,
                                                               number=current.number))
    now = now or timezone.now()
    day = timezone.localdate(now)
    policy = selectors.queue_policy(selectors.hall_policy(window.center))
    waiting = selectors.waiting_counts(center=window.center, day=day)
    category_ids = selectors.window_category_ids(window=window, waiting=waiting)
    view = queueing.WindowView(id=window.pk, category_ids=category_ids,
                               regular_since_priority=state.regular_since_priority)
    for _attempt in range(CALL_ATTEMPTS):
        candidates = selectors.waiting_for_window(center=window.center, day=day,
                                                  category_ids=category_ids, window=window)
        chosen = queueing.choose_next(view, candidates, policy)
        if chosen is None:
            raise QueueEmpty(_("No ticket is waiting for window {window}.").format(
                window=window.number))
        taken = Ticket.objects.filter(pk=chosen.id, status=TicketStatus.WAITING).update(
            status=TicketStatus.CALLED, window=window, revision=F("revision") + 1)
        if taken:
            break
    else:
        raise Conflict(_("The queue is very busy; call again."))
    ticket = Ticket.objects.select_related("category", "center").get(pk=chosen.id)
    _call(ticket, window=window, now=now)
    ticket.save()
    state.regular_since_priority = queueing.regular_count_after(
        chosen, state.regular_since_priority)
    state.staff = by if by is not None and by.is_authenticated else None
    state.save(update_fields=["regular_since_priority", "staff"])
    audit.record("frontdesk.ticket_called", obj=ticket, by=by, changes={
        "status": ["waiting", "called"], "window": [None, window.number]})
    return ticket


@audited_service("frontdesk.ticket_recall")
def ticket_recall(*, ticket: Ticket, by, now: datetime | None = None) -> Ticket:
    ticket = _locked(ticket, allowed=CALLABLE_AGAIN)
    require_perm(by, "frontdesk.call_ticket", ticket)
    window = ticket.window
    if window is None:  # the database refuses a called ticket without a window
        raise TicketStateError()
    before = audit.snapshot(ticket)
    _call(ticket, window=window, now=now or timezone.now())
    return _save(ticket, action="frontdesk.ticket_recalled", by=by, before=before)


@audited_service("frontdesk.ticket_no_show")
def ticket_no_show(*, ticket: Ticket, by, now: datetime | None = None) -> Ticket:
    """After the configured number of calls (default 3) a ticket nobody answered is set aside;
    it can rejoin the queue when its holder returns."""
    ticket = _locked(ticket, allowed=CALLABLE_AGAIN)
    require_perm(by, "frontdesk.call_ticket", ticket)
    needed = selectors.hall_policy(ticket.center).no_show_calls
    if ticket.call_count < needed:
        raise TicketStateError(_("Ticket {number} was called {count} times; call it {needed} "
                                 "times before marking it as no-show.").format(
            number=ticket.number, count=ticket.call_count, needed=needed))
    before = audit.snapshot(ticket)
    ticket.status = TicketStatus.NO_SHOW
    ticket.finished_at = now or timezone.now()
    return _save(ticket, action="frontdesk.ticket_no_show_marked", by=by, before=before)


@audited_service("frontdesk.ticket_requeue")
def ticket_requeue(*, ticket: Ticket, by, now: datetime | None = None) -> Ticket:
    """The holder of a no-show ticket came back: the ticket rejoins at the back of the queue."""
    ticket = _locked(ticket, allowed={TicketStatus.NO_SHOW})
    require_perm(by, "frontdesk.issue_ticket", ticket)
    if ticket.day != timezone.localdate(now or timezone.now()):
        raise TicketStateError(_("Ticket {number} was issued on another day.").format(
            number=ticket.number))
    before = audit.snapshot(ticket)
    ticket.status = TicketStatus.WAITING
    ticket.queued_at = now or timezone.now()
    ticket.window = None
    ticket.finished_at = None
    ticket.call_count = 0
    return _save(ticket, action="frontdesk.ticket_requeued", by=by, before=before)


@audited_service("frontdesk.ticket_start")
def ticket_start(*, ticket: Ticket, by, now: datetime | None = None) -> Ticket:
    ticket = _locked(ticket, allowed={TicketStatus.CALLED})
    require_perm(by, "frontdesk.call_ticket", ticket)
    before = audit.snapshot(ticket)
    ticket.status = TicketStatus.SERVING
    ticket.started_at = now or timezone.now()
    ticket.served_by = by if by is not None and by.is_authenticated else None
    return _save(ticket, action="frontdesk.ticket_started", by=by, before=before)


def _checked_cases(ticket: Ticket, cases) -> list:
    cases = list(cases)
    foreign = [c.number for c in cases if c.center_id != ticket.center_id]
    if foreign:
        raise ValidationFailed(fields={"cases": [_("Cases of another center: {numbers}.")
                                                 .format(numbers=", ".join(foreign))]})
    return cases


@audited_service("frontdesk.ticket_finish")
def ticket_finish(*, ticket: Ticket, by, cases=(), now: datetime | None = None) -> Ticket:
    """Service at the window is over; the cases it produced are linked to the ticket."""
    ticket = _locked(ticket, allowed={TicketStatus.SERVING})
    require_perm(by, "frontdesk.call_ticket", ticket)
    cases = _checked_cases(ticket, cases)
    before = audit.snapshot(ticket)
    ticket.status = TicketStatus.DONE
    ticket.finished_at = now or timezone.now()
    ticket = _save(ticket, action="frontdesk.ticket_finished", by=by, before=before)
    if cases:
        _link(ticket, cases, by=by)
    return ticket


def _link(ticket: Ticket, cases: list, *, by) -> None:
    """Link the cases to the ticket; a case not yet tied to a window takes the ticket's, and
    its statistics move to that window (the rollups follow the case's save)."""
    ticket.cases.add(*cases)
    if ticket.window_id is not None:
        for case in (Case.objects.select_for_update(of=("self",)).select_related("item_version")
                     .filter(pk__in=[c.pk for c in cases], window__isnull=True).order_by("pk")):
            case.window_id = ticket.window_id
            case.save(update_fields=["window"])
    audit.record("frontdesk.ticket_cases_linked", obj=ticket, by=by,
                 changes={"cases": [None, [c.number for c in cases]]})


@audited_service("frontdesk.ticket_link_cases")
def ticket_link_cases(*, ticket: Ticket, cases, by) -> Ticket:
    ticket = _locked(ticket, allowed={TicketStatus.SERVING, TicketStatus.DONE})
    require_perm(by, "frontdesk.call_ticket", ticket)
    _link(ticket, _checked_cases(ticket, cases), by=by)
    return ticket


@audited_service("frontdesk.ticket_transfer")
def ticket_transfer(*, ticket: Ticket, by, window: Window | None = None,
                    category: Category | None = None) -> Ticket:
    """Send a ticket to another window (it is called there first) or to another category (it
    keeps its place in time). Its number stays the same."""
    ticket = _locked(ticket, allowed=TRANSFERABLE)
    require_perm(by, "frontdesk.call_ticket", ticket)
    if (window is None) == (category is None):
        raise ValidationFailed(fields={"target": [_("Choose either a window or a category.")]})
    center_id = window.center_id if window is not None else getattr(category, "center_id", None)
    if center_id != ticket.center_id or (category is not None and not category.is_active):
        raise ValidationFailed(fields={"target": [_("Choose a window or category of this "
                                                    "hall.")]})
    if window is not None and window.pk == ticket.window_id and ticket.status in AT_WINDOW:
        raise ValidationFailed(fields={"target": [_("The ticket is already at this window.")]})
    before = audit.snapshot(ticket)
    ticket.status = TicketStatus.WAITING
    ticket.window = None
    ticket.reserved_window = window
    if category is not None:
        ticket.category = category
    return _save(ticket, action="frontdesk.ticket_transferred", by=by, before=before)
