"""The demo hall's year of cases, replayed through the case services on the real demo hall."""

import io

import pytest
from django.core.management import call_command
from django.db.models import F

from servicehall.cases.choices import CaseStatus, CaseType, StepStatus
from servicehall.cases.models import Case, CaseEvent, CaseStep
from servicehall.catalog.demo.loader import load_demo
from servicehall.core.audit import seal, verify
from servicehall.core.choices import AuditOutcome, MessageStatus
from servicehall.core.identifiers import is_valid_credit_code, is_valid_id_number
from servicehall.core.models import AuditEntry, OutboxMessage


@pytest.mark.django_db
def test_a_year_of_demo_cases_through_the_services():
    load_demo(log=lambda *args: None)
    out = io.StringIO()
    call_command("load_demo_cases", cases=60, seed=7, stdout=out)
    cases = Case.objects.all()
    total = cases.count()
    assert 50 <= total <= 80, out.getvalue()

    # every main state, and the main types, are there; the queues have work
    assert set(cases.values_list("status", flat=True)) == set(CaseStatus.values), out.getvalue()
    assert {CaseType.IMMEDIATE, CaseType.PROMISED, CaseType.RETURNED} <= set(
        cases.values_list("case_type", flat=True))
    assert CaseStep.objects.filter(status=StepStatus.ACTIVE, assignee__isnull=True).exists()
    assert CaseStep.objects.filter(status=StepStatus.ACTIVE, assignee__isnull=False).exists()
    assert cases.filter(extensions__status="pending").exists()

    # numbers unique; deadlines never before the clock starts; a year of history
    assert len(set(cases.values_list("number", flat=True))) == total
    assert not cases.filter(promised_due__lt=F("accepted_on")).exists()
    assert not cases.filter(promised_due__lt=F("clock_start")).exists()
    assert not cases.filter(legal_due__lt=F("accepted_on")).exists()
    assert not cases.filter(completed_on__lt=F("received_on")).exists()
    days = sorted(cases.values_list("received_on", flat=True))
    assert (days[-1] - days[0]).days > 200
    assert not CaseEvent.objects.filter(at__date__lt=F("case__received_on")).exists()

    # applicants: valid ID numbers and credit codes
    for case in cases:
        if case.applicant_kind == "person":
            assert is_valid_id_number(case.applicant_id_number)
        else:
            assert is_valid_credit_code(case.credit_code)
            assert is_valid_id_number(case.agent_id_number)

    # the services refused nothing; the audit chain holds
    assert not AuditEntry.objects.filter(outcome=AuditOutcome.FAILURE).exists()
    seal()
    checked, broken = verify()
    assert broken is None and checked > total
    # messages of past days went out; none claims to be sent without a send time
    assert OutboxMessage.objects.filter(status=MessageStatus.SENT).exists()
    assert not OutboxMessage.objects.filter(status=MessageStatus.SENT,
                                            sent_at__isnull=True).exists()

    # again: nothing added
    events, entries = CaseEvent.objects.count(), AuditEntry.objects.count()
    out = io.StringIO()
    call_command("load_demo_cases", cases=60, seed=7, stdout=out)
    assert "nothing to do" in out.getvalue()
    assert (Case.objects.count(), CaseEvent.objects.count(), AuditEntry.objects.count()) == (
        total, events, entries)
