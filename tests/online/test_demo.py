"""The demo hall has online applications: the pre-review queues are not empty."""

import io

import pytest
from django.core.management import call_command

from servicehall.accounts.models import User
from servicehall.catalog.demo.loader import load_demo
from servicehall.core.audit import seal, verify
from servicehall.core.models import AuditEntry
from servicehall.online.models import Application
from servicehall.online.selectors import review_queue


@pytest.mark.django_db
def test_the_demo_fills_the_pre_review_queues_once(client):
    load_demo(log=lambda *args: None)
    out = io.StringIO()
    call_command("load_online_demo", stdout=out)
    statuses = list(Application.objects.values_list("status", flat=True))
    assert statuses.count("submitted") >= 4 and "draft" in statuses, out.getvalue()
    assert all(a.files.exists() for a in Application.objects.all())
    reviewer = User.objects.get(username="scjg_reviewer")
    assert review_queue(user=reviewer).count() >= 2
    assert User.objects.get(username="applicant").online_applications.filter(
        status="draft").exists()
    call_command("load_online_demo", stdout=out)  # safe to re-run
    assert Application.objects.count() == len(statuses)
    seal()
    assert verify() == (AuditEntry.objects.count(), None)
    client.force_login(reviewer)
    assert client.get("/staff/online/").status_code == 200
