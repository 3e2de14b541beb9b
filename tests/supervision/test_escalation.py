"""Warning SMS, yellow card with a finish-by date, red card with a rectification letter; the
department answers, the supervision section closes; every step once."""

from datetime import date

import pytest

from servicehall.core.errors import Conflict, PermissionDenied, ValidationFailed
from servicehall.core.models import AuditEntry, OutboxMessage
from servicehall.supervision.choices import CardLevel, CardStatus
from servicehall.supervision.escalation import escalate
from servicehall.supervision.models import Card, CaseWatch
from servicehall.supervision.scanner import scan
from servicehall.supervision.services import card_close, card_respond

pytestmark = pytest.mark.django_db


def run(day):
    scan(today=day)
    return escalate(today=day)


def test_a_warning_texts_the_handler_and_the_department_head_once(accept, reviewer_a, head_a):
    from servicehall.cases.services import case_step_take
    from servicehall.core import businessday

    reviewer_a.phone = "13700137000"
    reviewer_a.save()
    case = accept()
    with businessday.replaying(date(2026, 10, 9)):
        case_step_take(case=case, by=reviewer_a)
    report = run(date(2026, 10, 16))
    assert (report.warned, report.messages) == (1, 2)
    messages = OutboxMessage.objects.filter(event="supervision.warning")
    assert sorted(m.recipient for m in messages) == ["13700137000", "13900139000"]
    assert case.number in messages[0].body and "电子监察" in messages[0].body
    assert run(date(2026, 10, 16)).messages == 0
    assert run(date(2026, 10, 19)).messages == 0  # still the same warning
    assert CaseWatch.objects.get(pk=case.pk).warned_on == date(2026, 10, 16)


def test_an_overdue_case_gets_a_yellow_card_with_two_working_days_to_finish(accept, department_a):
    case = accept()
    report = run(date(2026, 10, 21))
    assert report.yellow_cards == 1
    card = Card.objects.get(case=case)
    assert (card.level, card.department, card.issued_on, card.finish_by) == (
        CardLevel.YELLOW, department_a, date(2026, 10, 21), date(2026, 10, 23))
    assert "承诺期限" in card.reason
    assert AuditEntry.objects.filter(action="supervision.yellow_card_issued").count() == 1
    assert run(date(2026, 10, 22)).yellow_cards == 0


def test_still_open_after_the_finish_by_date_brings_a_red_card_and_a_letter(accept):
    case = accept()
    run(date(2026, 10, 21))
    assert run(date(2026, 10, 23)).red_cards == 0  # the finish-by day itself
    assert run(date(2026, 10, 26)).red_cards == 1
    red = Card.objects.get(case=case, level=CardLevel.RED)
    assert red.letter_number == "督改〔2026〕1号"
    assert run(date(2026, 10, 27)).red_cards == 0
    other = accept()
    run(date(2026, 10, 21))
    run(date(2026, 10, 26))
    assert Card.objects.get(case=other, level=CardLevel.RED).letter_number == "督改〔2026〕2号"


def test_a_case_finished_before_the_finish_by_date_gets_no_red_card(accept):
    from servicehall.cases.choices import CaseStatus
    from servicehall.cases.models import Case

    case = accept()
    run(date(2026, 10, 21))
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.COMPLETED,
                                           completed_on=date(2026, 10, 22))
    assert run(date(2026, 10, 26)).red_cards == 0


def test_the_department_responds_and_the_supervision_section_closes(accept, reviewer_a,
                                                                     reviewer_b, supervisor):
    case = accept()
    run(date(2026, 10, 21))
    card = Card.objects.get(case=case)
    with pytest.raises(PermissionDenied):
        card_respond(card=card, response="已整改", by=reviewer_b)
    with pytest.raises(ValidationFailed):
        card_respond(card=card, response=" ", by=reviewer_a)
    card = card_respond(card=card, response="已督促承办人当日办结", by=reviewer_a)
    assert (card.status, card.responded_by) == (CardStatus.RESPONDED, reviewer_a)
    with pytest.raises(PermissionDenied):
        card_close(card=card, note="同意", by=reviewer_a)
    card = card_close(card=card, note="整改到位,予以销牌", by=supervisor)
    assert card.status == CardStatus.CLOSED and card.closed_at is not None
    with pytest.raises(Conflict):
        card_close(card=card, note="again", by=supervisor)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"supervision.card_responded", "supervision.card_closed"} <= actions
