"""The board, its Excel export, a card's page and its rectification letter."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from servicehall.accounts.choices import Role
from servicehall.supervision.escalation import escalate
from servicehall.supervision.models import Card
from servicehall.supervision.scanner import scan
from tests.supervision.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_board_shows_lights_cards_and_drill_down_links(client, supervisor, watched,
                                                          django_assert_max_num_queries):
    signed_in(client, supervisor)
    with django_assert_max_num_queries(20):
        response = client.get("/staff/supervision/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"/staff/cases/{watched[0].number}/" in page
    assert "红牌" in page and "黄牌" in page and "电子监察" in page


def test_the_board_query_count_does_not_grow_with_the_cases(client, supervisor, accept, watched,
                                                           django_assert_max_num_queries):
    for _ in range(5):
        accept()
    scan(today=date(2026, 10, 27))
    escalate(today=date(2026, 10, 27))
    signed_in(client, supervisor)
    with django_assert_max_num_queries(20):
        assert client.get("/staff/supervision/").status_code == 200


@pytest.mark.parametrize("role", [Role.WINDOW_STAFF, Role.REVIEWER])
def test_the_board_is_for_supervision_leaders_and_administrators(client, make_user, role,
                                                                 department_a):
    user = make_user(role, department=department_a)
    signed_in(client, user)
    assert client.get("/staff/supervision/").status_code == 403


def test_the_leader_exports_the_board_to_excel(client, make_user, watched):
    signed_in(client, make_user(Role.CENTER_LEADER))
    response = client.get("/staff/supervision/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) == 4
    live = book.worksheets[1]
    assert {row[0] for row in live.iter_rows(min_row=2, values_only=True)} == {
        watched[0].number, watched[1].number}


def test_the_department_responds_on_the_card_page_and_supervision_closes(
        client, reviewer_a, supervisor, watched):
    card = Card.objects.filter(level="red").first()
    signed_in(client, reviewer_a)
    page = client.get(f"/staff/supervision/cards/{card.pk}/").content.decode()
    assert "督改〔2026〕" in page
    client.post(f"/staff/supervision/cards/{card.pk}/respond/", {"text": "已办结并约谈承办人"})
    card.refresh_from_db()
    assert card.status == "responded"
    signed_in(client, supervisor)
    client.post(f"/staff/supervision/cards/{card.pk}/close/", {"text": "整改到位"})
    card.refresh_from_db()
    assert card.status == "closed"


def test_another_department_cannot_open_the_card(client, reviewer_b, watched):
    card = Card.objects.first()
    signed_in(client, reviewer_b)
    assert client.get(f"/staff/supervision/cards/{card.pk}/").status_code == 404


def test_the_red_card_letter_is_a_chinese_pdf(client, supervisor, watched):
    import subprocess
    import tempfile

    card = Card.objects.filter(level="red").first()
    signed_in(client, supervisor)
    response = client.get(f"/staff/supervision/cards/{card.pk}/letter.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(response.content)
        pdf.flush()
        text = subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, text=True,
                              check=True).stdout
    assert "电子监察整改通知书" in text and card.letter_number in text
    assert card.case.number in text


def test_the_supervision_section_confirms_a_finding_from_the_board(client, supervisor, accept):
    from servicehall.cases.choices import CaseStatus
    from servicehall.cases.models import Case
    from servicehall.supervision.irregularities import detect_state
    from servicehall.supervision.models import Finding

    case = accept()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.COMPLETED,
                                           completed_on=date(2026, 10, 9))
    detect_state(today=date(2026, 10, 9))
    finding = Finding.objects.get(case=case)
    signed_in(client, supervisor)
    assert "办结无决定文书" in client.get("/staff/supervision/").content.decode()
    client.post(f"/staff/supervision/findings/{finding.pk}/review/",
                {"text": "情况属实", "decision": "confirm"})
    finding.refresh_from_db()
    assert (finding.status, finding.reviewed_by) == ("confirmed", supervisor)


def test_a_leader_sees_the_board_but_cannot_review_findings(client, make_user, accept):
    from servicehall.cases.choices import CaseStatus
    from servicehall.cases.models import Case
    from servicehall.supervision.irregularities import detect_state
    from servicehall.supervision.models import Finding

    case = accept()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.COMPLETED,
                                           completed_on=date(2026, 10, 9))
    detect_state(today=date(2026, 10, 9))
    finding = Finding.objects.get(case=case)
    signed_in(client, make_user(Role.CENTER_LEADER))
    page = client.get("/staff/supervision/").content.decode()
    assert "办结无决定文书" in page and "findings/" not in page
    client.post(f"/staff/supervision/findings/{finding.pk}/review/",
                {"text": "同意", "decision": "confirm"})
    finding.refresh_from_db()
    assert finding.status == "open"
