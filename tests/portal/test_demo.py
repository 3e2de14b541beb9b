import pytest
from django.core.management import call_command

from servicehall.accounts.models import ApplicantProfile, AuthorisedAgent
from servicehall.core.audit import seal, verify
from servicehall.core.models import AuditEntry
from servicehall.portal.selectors import applicant_cases

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_person_and_an_enterprise_with_cases_and_reruns_cleanly(client, capsys):
    call_command("load_demo", cases=0)
    call_command("load_portal_demo")
    out = capsys.readouterr().out
    assert "13800000001" in out and "13800000002" in out and "Demo@2026" in out
    person = ApplicantProfile.objects.get(mobile="13800000001")
    enterprise = ApplicantProfile.objects.get(mobile="13800000002")
    assert AuthorisedAgent.objects.filter(profile=enterprise, is_active=True).count() == 1
    mine = applicant_cases(user=person.user)
    # Two filed online, one at a window before the account existed (found by the ID number).
    assert mine.count() == 3 and mine.filter(applicant_account__isnull=True).count() == 1
    assert set(mine.values_list("status", flat=True)) == {
        "completed", "in_progress", "awaiting_materials"}
    assert applicant_cases(user=enterprise.user).count() == 2
    response = client.post("/my/login/", {"username": "13800000001", "password": "Demo@2026"})
    assert response.url == "/my/"

    call_command("load_portal_demo")
    assert ApplicantProfile.objects.count() == 2 and applicant_cases(
        user=person.user).count() == 3
    seal()
    assert verify() == (AuditEntry.objects.count(), None)
