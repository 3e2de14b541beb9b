"""Tickets through the services: numbering, calling by the rules, no-shows, transfers, and
refusals that leave nothing behind."""

from datetime import timedelta

import pytest
from django.utils import timezone

from servicehall.core.errors import PermissionDenied, ValidationFailed
from servicehall.core.models import AuditEntry
from servicehall.frontdesk import services
from servicehall.frontdesk.models import Ticket, TicketCall, TicketCounter
from servicehall.frontdesk.services import QueueEmpty, TicketStateError

pytestmark = pytest.mark.django_db
# Early today in the hall's time zone, so tickets issued "at" it belong to today's queue.
MORNING = timezone.localtime().replace(hour=0, minute=1, second=0, microsecond=0)


def test_numbers_run_per_prefix_from_one_without_gaps(cat_a, cat_b, issue):
    numbers = [issue(cat_a).number, issue(cat_a).number, issue(cat_b).number,
               issue(cat_a).number]
    assert numbers[:2] == ["A001", "A002"] and numbers[2] == "B001" and numbers[3] == "A003"
    assert AuditEntry.objects.filter(action="frontdesk.ticket_issued").count() == 4


def test_numbers_start_again_each_day(cat_a, issue):
    issue(cat_a, now=MORNING)
    assert issue(cat_a, now=MORNING + timedelta(days=1)).number == "A001"


def test_a_kiosk_cannot_grant_priority_and_the_refusal_uses_no_number(cat_a, issue):
    with pytest.raises(ValidationFailed) as refused:
        issue(cat_a, priority="care")
    assert "priority" in refused.value.fields
    assert not Ticket.objects.exists() and not TicketCounter.objects.filter(last__gt=0).exists()
    assert issue(cat_a).number == "A001"


def test_staff_of_another_center_cannot_issue(cat_a, issue):
    from servicehall.accounts.choices import Role
    from tests.factories import CenterFactory, UserFactory

    stranger = UserFactory(role=Role.WINDOW_STAFF, center=CenterFactory(code="110000"))
    with pytest.raises(PermissionDenied):
        issue(cat_a, by=stranger, channel="guide_desk")


def test_call_next_takes_the_oldest_ticket_and_announces_it(window_1, cat_a, issue, clerk):
    first = issue(cat_a, now=MORNING)
    issue(cat_a, now=MORNING + timedelta(minutes=1))
    called = services.ticket_call_next(window=window_1, by=clerk)
    assert called.pk == first.pk and called.status == "called" and called.window == window_1
    call = TicketCall.objects.get()
    assert call.announcement == "请A001号到1号窗口办理"


def test_a_window_with_a_ticket_at_it_cannot_call_another(window_1, cat_a, issue, clerk):
    issue(cat_a)
    issue(cat_a)
    services.ticket_call_next(window=window_1, by=clerk)
    with pytest.raises(TicketStateError):
        services.ticket_call_next(window=window_1, by=clerk)


def test_calling_an_empty_queue_is_a_clear_refusal(window_1, clerk):
    with pytest.raises(QueueEmpty) as empty:
        services.ticket_call_next(window=window_1, by=clerk)
    assert "1号窗口" in empty.value.message


def test_priority_ticket_waits_for_three_regular_calls_after_the_last_priority(
        window_1, cat_a, issue, clerk):
    for minute in range(4):
        issue(cat_a, now=MORNING + timedelta(minutes=minute))
    care = [issue(cat_a, priority="care", channel="guide_desk", by=clerk) for _ in range(2)]
    order = []
    for _ in range(6):
        ticket = services.ticket_call_next(window=window_1, by=clerk)
        order.append(ticket.number)
        services.ticket_start(ticket=ticket, by=clerk)
        services.ticket_finish(ticket=ticket, by=clerk)
    assert order[0] == care[0].number  # the window had served no priority ticket yet
    assert order[4] == care[1].number  # then three regular ones in between


def test_a_finished_ticket_cannot_be_recalled(window_1, cat_a, issue, clerk):
    issue(cat_a)
    ticket = services.ticket_call_next(window=window_1, by=clerk)
    services.ticket_start(ticket=ticket, by=clerk)
    services.ticket_finish(ticket=ticket, by=clerk)
    with pytest.raises(TicketStateError) as refused:
        services.ticket_recall(ticket=ticket, by=clerk)
    assert "已办理" in refused.value.message
    assert AuditEntry.objects.filter(action="frontdesk.ticket_recall",
                                     outcome="failure").count() == 1


def test_no_show_needs_three_calls_and_the_returning_holder_queues_again_at_the_back(
        window_1, cat_a, issue, clerk):
    ticket = issue(cat_a)
    services.ticket_call_next(window=window_1, by=clerk)
    with pytest.raises(TicketStateError):
        services.ticket_no_show(ticket=ticket, by=clerk)
    services.ticket_recall(ticket=ticket, by=clerk)
    services.ticket_recall(ticket=ticket, by=clerk)
    assert services.ticket_no_show(ticket=ticket, by=clerk).status == "no_show"
    later = issue(cat_a)
    services.ticket_requeue(ticket=ticket, by=clerk)
    assert services.ticket_call_next(window=window_1, by=clerk).pk == later.pk


def test_a_ticket_transferred_to_a_window_is_called_there_first(
        window_1, comprehensive, cat_a, cat_b, issue, clerk):
    moved = issue(cat_a)
    issue(cat_a)
    issue(cat_b)
    services.ticket_transfer(ticket=moved, window=comprehensive, by=clerk)
    assert services.ticket_call_next(window=window_1, by=clerk).number == "A002"
    assert services.ticket_call_next(window=comprehensive, by=clerk).pk == moved.pk


def test_transfer_to_another_category_keeps_the_number_and_place(
        window_1, window_2, cat_a, cat_b, issue, clerk):
    ticket = issue(cat_a)
    services.ticket_transfer(ticket=ticket, category=cat_b, by=clerk)
    called = services.ticket_call_next(window=window_2, by=clerk)
    assert called.pk == ticket.pk and called.number == "A001"


def test_finishing_links_the_cases_the_ticket_produced(window_1, cat_a, issue, clerk, item_a):
    from servicehall.cases.services import case_intake
    from tests.cases.conftest import PERSON

    issue(cat_a)
    ticket = services.ticket_call_next(window=window_1, by=clerk)
    services.ticket_start(ticket=ticket, by=clerk)
    materials = {m.pk for m in item_a.current_version.materials.all()}
    case = case_intake(item=item_a, applicant=PERSON, received=materials, by=clerk)
    services.ticket_finish(ticket=ticket, cases=[case], by=clerk)
    assert list(case.tickets.all()) == [ticket]



def test_a_linked_case_counts_for_the_window_that_served_it(window_1, comprehensive, cat_a,
                                                           issue, clerk, item_a):
    """The case takes the ticket's window; its daily rollup row moves there from window 0,
    equal to a full rebuild; a second ticket does not move it again."""
    from servicehall.cases.services import case_intake
    from servicehall.stats.models import DailyRollup
    from servicehall.stats.rollups import rollups_rebuild
    from tests.cases.conftest import PERSON

    issue(cat_a), issue(cat_a)
    ticket = services.ticket_call_next(window=window_1, by=clerk)
    services.ticket_start(ticket=ticket, by=clerk)
    materials = {m.pk for m in item_a.current_version.materials.all()}
    case = case_intake(item=item_a, applicant=PERSON, received=materials, by=clerk)
    assert set(DailyRollup.objects.values_list("window_id", flat=True)) == {0}
    services.ticket_finish(ticket=ticket, cases=[case], by=clerk)
    case.refresh_from_db()
    assert case.window_id == window_1.pk
    rows = list(DailyRollup.objects.filter(received__gt=0).values_list("window_id", "received"))
    assert rows == [(window_1.pk, 1)]
    later = services.ticket_call_next(window=comprehensive, by=clerk)
    services.ticket_start(ticket=later, by=clerk)
    services.ticket_finish(ticket=later, cases=[case], by=clerk)
    case.refresh_from_db()
    assert case.window_id == window_1.pk
    incremental = sorted(DailyRollup.objects.filter(received__gt=0).values_list(
        "day", "window_id", "received", "accepted"))
    rollups_rebuild()
    assert sorted(DailyRollup.objects.filter(received__gt=0).values_list(
        "day", "window_id", "received", "accepted")) == incremental


def test_backup_window_joins_when_the_queue_reaches_the_threshold_and_the_floor_is_told(
        backup, cat_a, issue, clerk):
    issue(cat_a)
    with pytest.raises(QueueEmpty):
        services.ticket_call_next(window=backup, by=clerk)
    for _ in range(4):
        issue(cat_a)
    assert AuditEntry.objects.filter(action="frontdesk.backup_windows_opened").count() == 1
    assert services.ticket_call_next(window=backup, by=clerk).number == "A001"


def test_the_floor_managers_get_an_sms_once_when_backup_windows_join(backup, cat_a, issue):
    from servicehall.core.models import OutboxMessage
    from servicehall.frontdesk.models import HallPolicy

    HallPolicy.objects.create(center=cat_a.center,
                              floor_manager_phones="13800138000, 13900139000")
    for _ in range(8):
        issue(cat_a)
    sent = OutboxMessage.objects.filter(event="backup_windows_opened")
    assert sorted(sent.values_list("recipient", flat=True)) == ["13800138000", "13900139000"]
    assert all("启用备用窗口" in m.body and cat_a.name in m.body for m in sent)


def test_floor_manager_numbers_are_checked():
    from django.core.exceptions import ValidationError

    from servicehall.frontdesk.models import HallPolicy

    field = HallPolicy._meta.get_field("floor_manager_phones")
    field.run_validators("13800138000,13900139000")
    with pytest.raises(ValidationError):
        field.run_validators("12345")
