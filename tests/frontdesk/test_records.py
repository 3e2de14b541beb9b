"""Guide-desk consultations and the records of the extended, door-to-door, Saturday-duty and
staggered services, with the statistics seed 000 prints."""

from datetime import date, time

import pytest

from servicehall.core.errors import ValidationFailed
from servicehall.frontdesk import services
from servicehall.frontdesk.figures import ServiceRow, service_figures
from servicehall.frontdesk.models import Consultation, ServiceRecord

SATURDAY = date(2026, 11, 28)


def test_service_figures_give_shares_daily_average_and_hours():
    rows = [ServiceRow("extended", "SCJG", date(2026, 11, 23), 1.5, 12),
            ServiceRow("extended", "GS", date(2026, 11, 24), 0.5, 8),
            ServiceRow("door_to_door", "SCJG", date(2026, 11, 24), 3.0, 2)]
    extended, door, saturday = service_figures(
        rows, kinds=["extended", "door_to_door", "saturday_duty"], departments_total=34,
        cases_total=400, working_days=20)
    assert (extended.departments, extended.cases, extended.hours) == (2, 20, 2.0)
    assert extended.department_share == 2 / 34 and extended.case_share == 0.05
    assert extended.cases_per_day == 1.0 and extended.hours_per_day == 0.1
    assert door.sessions == 1 and saturday.sessions == 0 and saturday.case_share == 0


@pytest.mark.django_db
def test_the_member_of_staff_who_logs_a_consultation_is_its_first_responder(center, clerk,
                                                                            item_a):
    consultation = services.consultation_log(center=center, channel="phone",
                                             topic="食品经营许可要带什么材料", item=item_a,
                                             by=clerk)
    assert consultation.first_responder == clerk
    assert consultation.department == item_a.department


@pytest.mark.django_db
def test_a_door_to_door_visit_needs_an_address_and_nothing_is_saved_without(center, clerk,
                                                                           department_a):
    with pytest.raises(ValidationFailed) as refused:
        services.service_record_add(center=center, kind="door_to_door", department=department_a,
                                    day=date(2026, 11, 24), start=time(14), end=time(16),
                                    staff="陈晓", by=clerk)
    assert "address" in refused.value.fields and not ServiceRecord.objects.exists()


@pytest.mark.django_db
def test_saturday_duty_is_on_a_saturday_and_ends_after_it_starts(center, clerk, department_a):
    with pytest.raises(ValidationFailed) as refused:
        services.service_record_add(center=center, kind="saturday_duty", department=department_a,
                                    day=date(2026, 11, 27), start=time(12), end=time(9),
                                    staff="陈晓", by=clerk)
    assert {"day", "end"} <= set(refused.value.fields)
    services.service_record_add(center=center, kind="saturday_duty", department=department_a,
                                day=SATURDAY, start=time(9), end=time(12), staff="陈晓",
                                cases_handled=5, by=clerk)


@pytest.mark.django_db
def test_the_services_page_logs_records_and_counts(client, center, clerk, department_a,
                                                   django_assert_max_num_queries):
    client.force_login(clerk)
    response = client.post("/staff/frontdesk/services/", {
        "form": "consultation", "c-channel": "on_site", "c-topic": "营业执照变更在哪个窗口"})
    assert response.status_code == 302 and Consultation.objects.count() == 1
    refused = client.post("/staff/frontdesk/services/", {
        "form": "record", "r-kind": "door_to_door", "r-department": department_a.pk,
        "r-staff": "陈晓", "r-day": "2026-11-24", "r-start": "14:00", "r-end": "16:00",
        "r-cases_handled": "2"})
    assert refused.status_code == 400 and "地址" in refused.content.decode()
    client.post("/staff/frontdesk/services/", {
        "form": "record", "r-kind": "extended", "r-department": department_a.pk,
        "r-staff": "陈晓", "r-day": "2026-11-24", "r-start": "17:30", "r-end": "18:30",
        "r-cases_handled": "6"})
    with django_assert_max_num_queries(14):
        page = client.get("/staff/frontdesk/services/", {"from": "2026-11-01",
                                                         "to": "2026-11-30"})
    body = page.content.decode()
    assert 'id="consultations-total">1<' in body and "营业执照变更" in body
