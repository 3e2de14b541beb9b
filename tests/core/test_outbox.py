import io
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction

from servicehall.core import outbox
from servicehall.core.models import OutboxAttempt, OutboxMessage
from servicehall.core.outbox import (
    ConsoleSender,
    FileSender,
    SendError,
    backoff,
    enqueue,
    load_sender,
    send_due,
)
from tests.core.test_concurrency import _run_at_once

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
T0 = datetime(2026, 10, 13, 1, 0, tzinfo=UTC)


class Gateway:
    """A test double: down until told otherwise; records what it delivered."""

    def __init__(self, *, down=False):
        self.down = down
        self.delivered: list[int] = []

    def send(self, message):
        if self.down:
            raise SendError("gateway timeout")
        self.delivered.append(message.pk)


def _message(center, n=0, **kwargs):
    message = enqueue(center=center, channel="sms", recipient=f"1380013800{n}",
                      body=f"【深圳市行政服务大厅】第{n}条", event="test.event", **kwargs)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=T0)
    message.refresh_from_db()
    return message


def test_a_message_enqueued_in_a_rolled_back_transaction_does_not_exist(center):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(center=center, channel="sms", recipient="13800138000", body="受理", event="x")
        raise RuntimeError("the state change failed")
    assert not OutboxMessage.objects.exists()


def test_enqueue_records_what_the_message_is_about_and_masks_id_numbers(center):
    message = enqueue(center=center, channel="sms", recipient=" 13800138000 ",
                      body=f"身份证{ID_NUMBER}", event="cases.accepted", obj=center)
    assert (message.object_type, message.object_id) == ("core.center", str(center.pk))
    assert message.recipient == "13800138000"
    assert ID_NUMBER not in message.body and "1101**********002X" in message.body
    assert (message.status, message.attempts) == ("pending", 0)


def test_backoff_doubles_from_30_seconds_and_stops_growing_at_one_hour():
    assert [backoff(n).total_seconds() for n in range(1, 10)] == [
        30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_failing_gateway_is_retried_with_backoff_and_sends_once_after_it_recovers(center):
    message, gateway = _message(center), Gateway(down=True)
    now = T0
    for expected_wait in (30, 60, 120):
        assert send_due(now=now, sender=gateway) == outbox.SendReport(retried=1)
        message.refresh_from_db()
        assert message.next_attempt_at == now + timedelta(seconds=expected_wait)
        assert message.last_error == "gateway timeout"
        assert send_due(now=message.next_attempt_at - timedelta(seconds=1),
                        sender=gateway).total == 0  # not due yet
        now = message.next_attempt_at
    gateway.down = False
    assert send_due(now=now, sender=gateway) == outbox.SendReport(sent=1)
    assert send_due(now=now + timedelta(days=1), sender=gateway).total == 0
    assert gateway.delivered == [message.pk]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at) == ("sent", 4, now)
    assert list(message.attempt_log.values_list("ok", flat=True)) == [False, False, False, True]


def test_a_message_failing_max_attempts_times_is_given_up(center, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    message, gateway, now = _message(center), Gateway(down=True), T0
    reports = []
    for _ in range(3):
        reports.append(send_due(now=now, sender=gateway))
        message.refresh_from_db()
        now = message.next_attempt_at
    assert [(r.retried, r.failed) for r in reports] == [(1, 0), (1, 0), (0, 1)]
    assert (message.status, message.attempts) == ("failed", 3)
    assert send_due(now=now + timedelta(days=1), sender=Gateway()).total == 0


def test_nothing_is_lost_while_the_gateway_is_down(center):
    gateway = Gateway(down=True)
    messages = [_message(center, n) for n in range(5)]
    assert send_due(now=T0, sender=gateway).retried == 5
    messages += [_message(center, n) for n in range(5, 8)]  # more arrive during the outage
    assert send_due(now=T0 + timedelta(seconds=10), sender=gateway).retried == 3
    gateway.down = False
    assert send_due(now=T0 + timedelta(hours=1), sender=gateway).sent == 8
    assert sorted(gateway.delivered) == sorted(m.pk for m in messages)
    assert not OutboxMessage.objects.exclude(status="sent").exists()


def test_one_broken_message_does_not_stop_the_others(center):
    first, broken, last = _message(center, 1), _message(center, 2), _message(center, 3)

    class Picky(Gateway):
        def send(self, message):
            if message.pk == broken.pk:
                raise ValueError(f"unexpected reply for {ID_NUMBER}")
            super().send(message)

    gateway = Picky()
    assert send_due(now=T0, sender=gateway) == outbox.SendReport(sent=2, retried=1)
    assert gateway.delivered == [first.pk, last.pk]
    broken.refresh_from_db()
    assert broken.last_error.startswith("ValueError: unexpected reply")
    assert ID_NUMBER not in broken.last_error
    assert OutboxAttempt.objects.filter(message=broken, ok=False).count() == 1


def test_only_due_messages_are_sent_and_at_most_the_limit_per_round(center):
    for n in range(3):
        _message(center, n)
    later = _message(center, 9)
    OutboxMessage.objects.filter(pk=later.pk).update(next_attempt_at=T0 + timedelta(hours=1))
    gateway = Gateway()
    assert send_due(now=T0, limit=2, sender=gateway).sent == 2
    assert send_due(now=T0, limit=2, sender=gateway).sent == 1
    assert later.pk not in gateway.delivered


def test_the_console_sender_never_logs_an_id_number_in_plaintext(center, caplog):
    message = _message(center)
    message.body = f"申请人身份证号{ID_NUMBER}\n第二行"  # as if it slipped past enqueue
    caplog.set_level(logging.INFO, logger="servicehall.outbox")
    ConsoleSender().send(message)
    assert len(caplog.records) == 1
    line = caplog.records[0].getMessage()
    assert ID_NUMBER not in caplog.text and ID_NUMBER.lower() not in caplog.text
    assert "1101**********002X" in line and "138****8000" in line and "\n" not in line


def test_a_failure_log_never_contains_an_id_number_in_plaintext(center, caplog):
    _message(center)

    class Leaky:
        def send(self, message):
            raise SendError(f"rejected: {ID_NUMBER}")

    caplog.set_level(logging.INFO, logger="servicehall.outbox")
    send_due(now=T0, sender=Leaky())
    assert caplog.records and ID_NUMBER not in caplog.text
    assert ID_NUMBER not in OutboxMessage.objects.get().last_error


def test_the_file_sender_appends_one_json_line_per_message(center, tmp_path, settings):
    settings.OUTBOX_FILE = tmp_path / "out" / "outbox.jsonl"
    first, second = _message(center, 1), _message(center, 2)
    FileSender().send(first)
    FileSender().send(second)
    lines = [json.loads(line) for line in settings.OUTBOX_FILE.read_text("utf-8").splitlines()]
    assert [(r["id"], r["recipient"], r["body"]) for r in lines] == [
        (first.pk, "13800138001", "【深圳市行政服务大厅】第1条"),
        (second.pk, "13800138002", "【深圳市行政服务大厅】第2条")]


def test_a_file_sender_that_cannot_write_raises_send_error(center, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    with pytest.raises(SendError):
        FileSender(blocker / "outbox.jsonl").send(_message(center))


def test_the_sender_is_chosen_by_configuration(settings):
    assert isinstance(load_sender(), ConsoleSender)
    settings.OUTBOX_SENDER = "file"
    assert isinstance(load_sender(), FileSender)
    settings.OUTBOX_SENDER = "tests.core.test_outbox.Gateway"
    assert isinstance(load_sender(), Gateway)


def test_the_outbox_send_command_sends_due_messages(center, tmp_path, settings):
    settings.OUTBOX_SENDER, settings.OUTBOX_FILE = "file", tmp_path / "outbox.jsonl"
    due = enqueue(center=center, channel="sms", recipient="13800138000", body="已受理",
                  event="cases.accepted")
    out = io.StringIO()
    call_command("outbox_send", stdout=out)
    due.refresh_from_db()
    assert due.status == "sent" and due.attempt_log.count() == 1
    assert "1 sent" in out.getvalue()
    assert len(settings.OUTBOX_FILE.read_text("utf-8").splitlines()) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_running_at_once_send_each_message_exactly_once(center):
    messages = [_message(center, n) for n in range(40)]
    gateways = [Gateway() for _ in range(4)]

    def worker(gateway):
        while send_due(now=T0, limit=7, sender=gateway).total:
            pass

    results = _run_at_once([lambda g=g: worker(g) for g in gateways])
    assert not [r for r in results if isinstance(r, Exception)], results
    delivered = [pk for g in gateways for pk in g.delivered]
    assert sorted(delivered) == sorted(m.pk for m in messages)
    assert OutboxAttempt.objects.count() == 40


def test_the_outbox_worker_loop_keeps_sending_until_stopped(center, monkeypatch, settings,
                                                             tmp_path):
    settings.OUTBOX_SENDER, settings.OUTBOX_FILE = "file", tmp_path / "outbox.jsonl"
    enqueue(center=center, channel="sms", recipient="13800138000", body="一", event="x")
    rounds = []

    def sleep(seconds):
        rounds.append(seconds)
        if len(rounds) == 1:  # a message arrives while the worker waits
            enqueue(center=center, channel="sms", recipient="13800138000", body="二", event="x")
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr("servicehall.core.management.commands.outbox_send.time.sleep", sleep)
    monkeypatch.setattr("servicehall.core.management.commands.outbox_send.close_old_connections",
                        lambda: None)
    out = io.StringIO()
    call_command("outbox_send", "--loop", "--interval", "5", stdout=out)
    assert rounds == [5, 5]
    assert OutboxMessage.objects.filter(status="sent").count() == 2
    assert "stopped" in out.getvalue()
