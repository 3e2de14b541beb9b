import pytest
from django.core.management import call_command

from servicehall.core.audit import seal, verify
from servicehall.core.models import AuditEntry
from servicehall.frontdesk.models import Appointment, Category, Ticket, WindowCategory

pytestmark = pytest.mark.django_db


def test_the_demo_front_of_hall_has_queues_windows_and_appointments_and_reruns_cleanly(capsys):
    call_command("load_demo", cases=0)
    call_command("load_frontdesk_demo")
    assert Category.objects.count() == 6
    assert WindowCategory.objects.filter(is_backup=True).count() == 2
    assert WindowCategory.objects.values("window").distinct().count() >= 50
    waiting = Ticket.objects.filter(status="waiting").count()
    assert Ticket.objects.filter(status="serving").count() == 4 and waiting >= 15
    assert Appointment.objects.count() == 3
    assert "/hall/440300/kiosk/" in capsys.readouterr().out

    call_command("load_frontdesk_demo")
    assert Ticket.objects.filter(status="waiting").count() == waiting
    assert Appointment.objects.count() == 3
    seal()
    assert verify() == (AuditEntry.objects.count(), None)
