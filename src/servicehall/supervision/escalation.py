"""Escalation (seed 001/004, 电子监察): a warning turns into SMS to the handler and the
department head; an overdue case into a yellow card with a finish-by date; a case still open
after that date into a red card with a rectification letter. Each step happens once per case:
the watch row remembers the warning, and a case holds at most one card of each level."""

import logging
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from servicehall.accounts.choices import Role
from servicehall.cases.choices import OPEN_STATUSES
from servicehall.core import audit
from servicehall.core.choices import MessageChannel
from servicehall.core.outbox import enqueue
from servicehall.core.workcalendar import CalendarNotConfigured

from .choices import CardLevel, ReasonChoice
from .lights import Light, finish_by
from .models import Card, CaseWatch
from .scanner import Classifier

log = logging.getLogger(__name__)
MESSAGE_LANGUAGE = "zh-hans"
BATCH = 500  # per kind and per run: a minute's job stays short; the rest waits for the next


@dataclass
class EscalationReport:
    warned: int = 0
    messages: int = 0
    yellow_cards: int = 0
    red_cards: int = 0


def department_heads(department_id: int) -> list:
    return list(get_user_model().objects.filter(
        department_id=department_id, role=Role.CHIEF_REPRESENTATIVE, is_active=True)
        .exclude(phone=""))


def _warning_text(watch: CaseWatch) -> str:
    case = watch.case
    with translation.override(MESSAGE_LANGUAGE):
        return _("[E-supervision warning] Case {number} ({item}) is due on {due} "
                 "({reason}); please finish it in time.").format(
            number=case.number, item=case.item_version.name,
            due=case.promised_due.isoformat() if case.promised_due else "",
            reason=ReasonChoice(watch.reason).label)


def warn(*, today: date) -> EscalationReport:
    """SMS through the outbox for every yellow light not warned yet."""
    report = EscalationReport()
    watches = (CaseWatch.objects.filter(light=Light.YELLOW.value, warned_on__isnull=True)
               .select_related("case__current_assignee", "case__item_version", "case__center")
               .order_by("pk")[:BATCH])
    heads: dict[int, list] = {}
    for watch in watches:
        case = watch.case
        if watch.department_id not in heads:
            heads[watch.department_id] = department_heads(watch.department_id)
        people = {u.pk: u for u in heads[watch.department_id]}
        if case.current_assignee and case.current_assignee.phone:
            people[case.current_assignee.pk] = case.current_assignee
        body = _warning_text(watch)
        with transaction.atomic():
            for person in people.values():
                enqueue(center=case.center, channel=MessageChannel.SMS, recipient=person.phone,
                        body=body, event="supervision.warning", obj=case)
            CaseWatch.objects.filter(pk=watch.pk).update(warned_on=today)
        report.warned += 1
        report.messages += len(people)
    return report


def _reason(watch: CaseWatch) -> str:
    with translation.override(MESSAGE_LANGUAGE):
        return str(ReasonChoice(watch.reason).label)


def issue_yellow_cards(*, today: date) -> int:
    """A yellow card for every red light without one, finish-by after the configured working
    days (default 2)."""
    watches = (CaseWatch.objects.filter(light=Light.RED.value)
               .exclude(case__supervision_cards__level=CardLevel.YELLOW)
               .select_related("case").order_by("red_from", "pk")[:BATCH])
    classifier = Classifier(today)
    issued = 0
    for watch in watches:
        case = watch.case
        cal = classifier.calendar(case.center_id)
        try:
            due = finish_by(cal, today, classifier.rule(case.center_id, case.item_id))
        except (CalendarNotConfigured, AttributeError):
            log.warning("no calendar for the finish-by date of case %s", case.number)
            continue
        with transaction.atomic():
            card = Card.objects.create(
                center_id=case.center_id, case=case, department_id=case.department_id,
                staff_id=case.current_assignee_id, level=CardLevel.YELLOW,
                reason=_reason(watch), issued_on=today, finish_by=due)
            audit.record("supervision.yellow_card_issued", obj=card, by=None,
                         changes=audit.diff({}, audit.snapshot(card, [
                             "case", "department", "staff", "finish_by", "reason"])))
        issued += 1
    return issued


def next_letter_number(center_id: int, year: int) -> str:
    prefix = f"督改〔{year}〕"
    count = Card.objects.filter(center_id=center_id, level=CardLevel.RED,
                                letter_number__startswith=prefix).count()
    return f"{prefix}{count + 1}号"


def issue_red_cards(*, today: date) -> int:
    """A red card and rectification letter for every case still open after its yellow card's
    finish-by date."""
    yellows = (Card.objects.filter(level=CardLevel.YELLOW, finish_by__lt=today,
                                   case__status__in=sorted(OPEN_STATUSES))
               .exclude(case__supervision_cards__level=CardLevel.RED)
               .select_related("case").order_by("finish_by", "pk")[:BATCH])
    issued = 0
    for yellow in yellows:
        case = yellow.case
        with transaction.atomic():
            card = Card.objects.create(
                center_id=case.center_id, case=case, department_id=case.department_id,
                staff_id=case.current_assignee_id or yellow.staff_id, level=CardLevel.RED,
                reason=yellow.reason, issued_on=today,
                letter_number=next_letter_number(case.center_id, today.year))
            audit.record("supervision.red_card_issued", obj=card, by=None,
                         changes=audit.diff({}, audit.snapshot(card, [
                             "case", "department", "staff", "letter_number", "reason"])))
        issued += 1
    return issued


def escalate(*, today: date) -> EscalationReport:
    report = warn(today=today)
    report.yellow_cards = issue_yellow_cards(today=today)
    report.red_cards = issue_red_cards(today=today)
    return report
