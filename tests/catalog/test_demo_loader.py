import pytest
from django.core.management import call_command

from servicehall.accounts.models import User
from servicehall.catalog.models import Department, ServiceItem, Window
from servicehall.core.audit import seal, verify
from servicehall.core.models import AuditEntry, Center

pytestmark = pytest.mark.django_db


def test_demo_hall_is_complete_and_rerunning_it_adds_nothing(capsys):
    call_command("load_demo", cases=40)
    city = Center.objects.get(code="440300")
    counts = (Department.objects.filter(center=city).count(),
              ServiceItem.objects.filter(center=city).count(),
              Window.objects.filter(center=city).count())
    assert counts[0] >= 33 and 560 <= counts[1] <= 600 and 55 <= counts[2] <= 65
    immediate = ServiceItem.objects.filter(center=city,
                                           current_version__processing_type="immediate").count()
    assert 70 <= immediate <= 82
    assert Center.objects.filter(parent__isnull=False).count() == 3
    assert set(User.objects.values_list("role", flat=True)) >= {
        "applicant", "window_staff", "reviewer", "chief_representative", "business_section",
        "supervision_section", "center_leader", "center_admin", "hotline_operator"}
    assert city.calendar_days.filter(date__year=2026).count() == 365
    seal()
    assert verify() == (AuditEntry.objects.count(), None)
    first_output = capsys.readouterr().out
    assert "Demo@2026" in first_output and "scjg_reviewer" in first_output

    total = (ServiceItem.objects.count(), User.objects.count(), Department.objects.count())
    call_command("load_demo", cases=40)
    assert (ServiceItem.objects.count(), User.objects.count(),
            Department.objects.count()) == total
    assert "already loaded" in capsys.readouterr().out
