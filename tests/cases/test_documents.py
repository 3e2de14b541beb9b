"""The numbered notices (seed 001, 审批服务操作规程): one Chinese PDF per outcome, with the
WenQuanYi font embedded, identity numbers masked, and a QR code to the progress page."""

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from servicehall.cases import documents
from servicehall.cases.documents import notice_context, notice_kind, notice_pdf
from servicehall.cases.services import case_appeal, case_decide, case_intake
from servicehall.catalog.elements import MaterialSpec
from servicehall.core.identifiers import mask_credit_code, mask_id_number
from tests.cases.conftest import ENTERPRISE, PERSON, to_decision

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"),
                       reason="poppler-utils is missing: run scripts/setup.sh"),
]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PROGRESS = "http://testserver/progress/{number}/"
ID_NUMBER, MASKED_ID = PERSON.id_number, "1101**********002X"


@pytest.fixture(autouse=True)
def wednesday_before_national_day(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 9, 30))


def pdf_of(case, kind=None) -> bytes:
    kind = kind or notice_kind(case)
    return notice_pdf(case, kind=kind, progress_url=PROGRESS.format(number=case.number))


def run(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
                          check=True, capture_output=True, text=True).stdout


def text_of(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text with all whitespace removed, so a line break inside a table cell does
    not hide a phrase."""
    return re.sub(r"\s+", "", run("pdftotext", pdf, tmp_path, "-enc", "UTF-8"))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def item_with_three_missing(department_a, make_item):
    return make_item(department_a, "SCJG-0003", main_item="食品生产许可", materials=[
        MaterialSpec(name="食品生产许可申请书", is_key=True),
        MaterialSpec(name="营业执照复印件", form="copy"),
        MaterialSpec(name="食品生产加工场所平面图", copies=2),
        MaterialSpec(name="食品安全专业技术人员名单", notes="加盖公章"),
        MaterialSpec(name="企业自查报告", is_required=False),
    ])


@pytest.fixture
def immediate_item(department_a, make_item):
    return make_item(department_a, "SCJG-0002", main_item="食品经营许可证补办",
                     processing_type="immediate", promised_limit=0, steps=[])


@pytest.fixture
def joint_item(department_a, department_b, make_item):
    return make_item(department_a, "SCJG-0004", main_item="大型餐饮开办",
                     processing_type="joint", joint_department_codes=[department_b.code])


def all_of(item) -> set[int]:
    return {m.pk for m in item.current_version.materials.all()}


@pytest.fixture
def promised(item_a, clerk, all_materials):
    return case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)


def test_the_notice_follows_the_outcome(item_a, immediate_item, joint_item, clerk, reviewer_a,
                                        business_section, all_materials, key_materials):
    intake = dict(applicant=PERSON, by=clerk)
    immediate = case_intake(item=immediate_item, received=all_of(immediate_item), **intake)
    joint = case_intake(item=joint_item, received=all_of(joint_item), **intake)
    promised = case_intake(item=item_a, received=all_materials, **intake)
    supplement = case_intake(item=item_a, received=key_materials, **intake)
    returned = case_intake(item=item_a, received=set(), return_reasons=["other"],
                           return_note="x", **intake)
    assert [notice_kind(c) for c in (immediate, joint, promised, supplement, returned)] == [
        "immediate", "joint", "promised", "supplement", "returned"]
    assert notice_kind(case_appeal(case=returned, reason="材料齐全", by=business_section)) == (
        "returned")  # the applicant appeals with the return notice in hand
    decided = case_decide(case=to_decision(promised, reviewer_a), decision="approved", note="",
                          by=reviewer_a)
    assert notice_kind(decided) == "decision"


def test_promised_notice_states_the_due_date_on_the_working_calendar(promised, tmp_path):
    pdf = pdf_of(promised)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf, tmp_path)
    for expected in ("深圳市行政服务大厅", "承诺件通知书", f"编号:{promised.number}", "孙丽",
                     "食品经营许可", "深圳市市场监督管理局", "2026年9月30日",
                     "10个工作日", "2026年10月20日", "(盖章)"):
        assert expected in text, expected
    assert ID_NUMBER not in text and MASKED_ID in text


def test_the_notice_embeds_the_wenquanyi_font(promised, tmp_path):
    fonts = run("pdffonts", pdf_of(promised), tmp_path)
    assert "WenQuanYi" in fonts
    embedded = [line for line in fonts.splitlines() if "WenQuanYi" in line]
    assert all(" yes " in line for line in embedded), fonts  # emb column


def test_the_id_number_appears_only_masked_anywhere_in_the_pdf(promised):
    context = notice_context(promised, kind="promised", progress_url="http://x/")
    html = documents.notice_html(promised, kind="promised", progress_url="http://x/")
    assert ID_NUMBER not in html and MASKED_ID in html
    assert ID_NUMBER not in repr(context)
    assert ID_NUMBER.encode() not in pdf_of(promised)


def test_supplement_notice_lists_every_missing_material_at_once(
        item_with_three_missing, clerk, tmp_path):
    key = set(item_with_three_missing.current_version.materials.filter(is_key=True)
              .values_list("pk", flat=True))
    case = case_intake(item=item_with_three_missing, applicant=PERSON, received=key, by=clerk)
    pdf = pdf_of(case)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf, tmp_path)
    for expected in ("补办件通知书", case.number, "孙丽", "一次性告知", "营业执照复印件",
                     "食品生产加工场所平面图", "2份", "食品安全专业技术人员名单", "加盖公章",
                     "自材料补齐之日起计算"):
        assert expected in text, expected
    assert "企业自查报告" not in text  # optional: not asked for
    assert "食品生产许可申请书" not in text  # received


def test_returned_notice_gives_the_reasons_and_the_way_to_appeal(item_a, clerk, tmp_path):
    case = case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk,
                       return_reasons=["key_materials_missing", "materials_invalid"],
                       return_note="申请书未签字,请签字后重新提交。")
    pdf = pdf_of(case)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf, tmp_path)
    for expected in ("退回件通知书", case.number, "孙丽", "缺少主要材料",
                     "申请材料不符合法定形式", "申请书未签字,请签字后重新提交。",
                     "如对退回决定有异议,可向中心业务科申诉"):
        assert expected in text, expected
    assert ID_NUMBER not in text and MASKED_ID in text


def test_immediate_receipt_says_finished_on_the_spot(immediate_item, clerk, tmp_path):
    case = case_intake(item=immediate_item, applicant=PERSON, by=clerk,
                       received=all_of(immediate_item))
    text = text_of(pdf_of(case), tmp_path)
    for expected in ("即办件受理回执", case.number, "孙丽", "当场办结"):
        assert expected in text, expected


def test_joint_notice_names_the_lead_and_the_joint_departments(joint_item, clerk, tmp_path):
    case = case_intake(item=joint_item, applicant=ENTERPRISE, by=clerk,
                       received=all_of(joint_item))
    text = text_of(pdf_of(case), tmp_path)
    for expected in ("联办件通知书", case.number, "深圳市示例科技有限公司", "李明",
                     "深圳市公安局交通警察局", "2026年10月20日"):
        assert expected in text, expected
    assert ENTERPRISE.credit_code not in text
    assert mask_credit_code(ENTERPRISE.credit_code) in text
    assert ENTERPRISE.agent_id_number not in text
    assert mask_id_number(ENTERPRISE.agent_id_number) in text


def test_decision_document_states_the_decision_and_its_reasons(promised, reviewer_a,
                                                               tmp_path):
    case = case_decide(case=to_decision(promised, reviewer_a), decision="denied",
                       note="经营场所与居住场所未有效隔离。", by=reviewer_a)
    text = text_of(pdf_of(case), tmp_path)
    for expected in ("办理决定书", case.number, "孙丽", "不予许可",
                     "经营场所与居住场所未有效隔离。", "行政复议"):
        assert expected in text, expected


def test_the_qr_code_points_to_the_progress_page(promised):
    html = documents.notice_html(promised, kind="promised",
                                 progress_url="https://hall.example/progress/X/")
    assert "<svg" in html and "https://hall.example/progress/X/" in html


def test_staff_of_the_department_get_the_pdf_inline(client, promised, reviewer_a):
    client.force_login(reviewer_a)
    response = client.get(f"/staff/cases/{promised.number}/notice.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="{promised.number}-promised.pdf"')
    assert response.content.startswith(b"%PDF")


def test_a_reviewer_of_another_department_gets_404(client, promised, reviewer_b):
    client.force_login(reviewer_b)
    assert client.get(f"/staff/cases/{promised.number}/notice.pdf").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, promised):
    response = client.get(f"/staff/cases/{promised.number}/notice.pdf")
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils is missing")
def test_screenshots_of_the_notices_for_a_person_to_look_at(promised, item_with_three_missing,
                                                            clerk):
    key = set(item_with_three_missing.current_version.materials.filter(is_key=True)
              .values_list("pk", flat=True))
    supplement = case_intake(item=item_with_three_missing, applicant=PERSON, received=key,
                             by=clerk)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, case in (("notice-promised", promised), ("notice-supplement", supplement)):
        pdf_path = SCREENSHOTS / f"{name}.pdf"
        pdf_path.write_bytes(pdf_of(case))
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf_path),
                        str(SCREENSHOTS / name)], check=True)
        pdf_path.unlink()
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000
