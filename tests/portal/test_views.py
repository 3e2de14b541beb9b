import pytest
from django.test import override_settings

from servicehall.accounts.models import ApplicantProfile, AuthorisedAgent, User
from servicehall.cases.services import case_step_take
from servicehall.core.models import OutboxMessage
from tests.portal.conftest import CREDIT_CODE, OTHER_ID, PASSWORD, PERSON_ID, sms_code

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {"name": "孙丽", "id_number": PERSON_ID, "mobile": "13800138001", "code": "",
            "password": PASSWORD, "password2": PASSWORD, "action": "register"}
    data.update(overrides)
    return data


def test_the_register_page_sends_a_code_and_keeps_what_was_typed(client, center):
    response = client.post("/my/register/", _form(action="send_code", password="x"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "验证码已发送至138****8001" in page and PERSON_ID in page
    assert 'value="x"' not in page  # passwords are never sent back
    assert OutboxMessage.objects.filter(recipient="13800138001").count() == 1


def test_a_person_registers_through_the_page_and_lands_on_my_home(client, center):
    client.post("/my/register/", _form(action="send_code"))
    response = client.post("/my/register/", _form(code=sms_code("13800138001")))
    assert response.status_code == 302 and response.url == "/my/"
    page = client.get("/my/").content.decode()
    assert "孙丽,您好" in page and "1101**********002X" in page


def test_an_enterprise_registers_through_its_page(client, center):
    data = _form(name="深圳市示例科技有限公司", credit_code=CREDIT_CODE,
                 legal_representative="陈刚", mobile="13700137003")
    client.post("/my/register/enterprise/", {**data, "action": "send_code"})
    response = client.post("/my/register/enterprise/", {**data, "code": sms_code("13700137003")})
    assert response.status_code == 302
    assert ApplicantProfile.objects.get().kind == "enterprise"


def test_registration_errors_are_shown_in_chinese_next_to_the_fields(client, center):
    client.post("/my/register/", _form(action="send_code"))
    response = client.post("/my/register/", _form(id_number="110105194912310021",
                                                  code="000000"))
    assert response.status_code == 400
    assert "身份证号码校验位错误" in response.content.decode()
    response = client.post("/my/register/", _form(code="000000", password2="other"))
    assert response.status_code == 400
    assert "两次输入的密码不一致" in response.content.decode()
    assert not User.objects.exists()


def test_a_wrong_code_on_the_page_is_an_error_and_no_account(client, center):
    client.post("/my/register/", _form(action="send_code"))
    wrong = "000000" if sms_code("13800138001") != "000000" else "111111"
    response = client.post("/my/register/", _form(code=wrong))
    assert response.status_code == 400 and "验证码错误" in response.content.decode()
    assert not User.objects.exists()


@override_settings(SMS_CODE_INTERVAL_SECONDS=60)
def test_asking_again_within_a_minute_is_refused_on_the_page(client, center):
    client.post("/my/register/", _form(action="send_code"))
    response = client.post("/my/register/", _form(action="send_code"))
    assert response.status_code == 429 and "过于频繁" in response.content.decode()


def test_an_applicant_signs_in_on_either_page_and_lands_on_my_home(client, person):
    response = client.post("/my/login/", {"username": "13800138001", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/my/"
    client.logout()
    response = client.post("/login/", {"username": "13800138001", "password": PASSWORD})
    assert response.url == "/my/"
    assert client.get("/").url == "/my/"  # the staff desk sends an applicant home


def test_staff_land_on_their_desk_and_are_sent_there_from_my_pages(client, clerk):
    response = client.post("/my/login/", {"username": "clerk", "password": "Hall-2026-pass"})
    assert response.url == "/"
    assert client.get("/my/cases/").url == "/"


@override_settings(LOGIN_MAX_FAILURES=3)
def test_wrong_passwords_lock_the_applicant_account_too(client, person):
    for _ in range(2):
        response = client.post("/my/login/", {"username": "13800138001", "password": "bad"})
        assert response.status_code == 400
    response = client.post("/my/login/", {"username": "13800138001", "password": "bad"})
    assert "锁定" in response.content.decode()
    response = client.post("/my/login/", {"username": "13800138001", "password": PASSWORD})
    assert response.status_code == 400 and "锁定" in response.content.decode()


def test_my_pages_need_a_sign_in(client, center):
    response = client.get("/my/cases/")
    assert response.status_code == 302 and response.url.startswith("/my/login/?next=")


def test_an_enterprise_adds_and_withdraws_an_agent(client, enterprise):
    client.force_login(enterprise)
    response = client.post("/my/profile/", {"name": "李明", "id_number": "4403081999010112",
                                            "mobile": "13500135000"})
    assert response.status_code == 400 and "身份证号码应为18位" in response.content.decode()
    response = client.post("/my/profile/", {"name": "李明", "id_number": OTHER_ID,
                                            "mobile": "13500135000"})
    assert response.status_code == 302
    agent = AuthorisedAgent.objects.get()
    page = client.get("/my/profile/").content.decode()
    assert "李明" in page and "4403**********1234" in page and OTHER_ID not in page
    client.post(f"/my/profile/agents/{agent.pk}/withdraw/")
    agent.refresh_from_db()
    assert not agent.is_active


def test_an_applicant_cannot_withdraw_another_enterprises_agent(client, enterprise, person):
    agent = AuthorisedAgent.objects.create(profile=enterprise.applicant_profile, name="李明",
                                           id_number=OTHER_ID, mobile="13500135000")
    client.force_login(person)
    assert client.post(f"/my/profile/agents/{agent.pk}/withdraw/").status_code == 404
    agent.refresh_from_db()
    assert agent.is_active


# --- My cases --------------------------------------------------------------------------

def test_my_cases_are_those_of_my_account_and_those_filed_with_my_id(
        client, person, other_person, file_case):
    online = file_case(account=person, name="孙丽")
    at_window = file_case(name="孙丽")  # before the account existed, same ID number
    theirs = file_case(account=other_person, name="王强", id_number=OTHER_ID)
    client.force_login(person)
    page = client.get("/my/cases/").content.decode()
    assert online.number in page and at_window.number in page
    assert theirs.number not in page


def test_a_window_case_with_my_id_but_another_phone_is_not_mine(client, person, file_case):
    """Knowing someone's ID number is not enough: the case must also give the mobile number
    the account proved with its SMS code."""
    stranger = file_case(name="孙丽", phone="13600136000")
    client.force_login(person)
    assert stranger.number not in client.get("/my/cases/").content.decode()
    assert client.get(f"/my/cases/{stranger.number}/").status_code == 404


def test_an_enterprise_sees_the_cases_filed_with_its_credit_code(client, enterprise, file_case):
    case = file_case(kind="enterprise", name="深圳市示例科技有限公司", credit_code=CREDIT_CODE,
                     phone="13700137003")
    other = file_case(kind="enterprise", name="另一家公司", credit_code="91440300MA5FXXXXXX"[:0]
                      or "9144030071526726XG")
    client.force_login(enterprise)
    page = client.get("/my/cases/").content.decode()
    assert case.number in page and other.number not in page


def test_another_applicants_case_and_its_pdf_are_404_not_403(
        client, person, other_person, file_case):
    theirs = file_case(account=other_person, name="王强", id_number=OTHER_ID)
    client.force_login(person)
    assert client.get(f"/my/cases/{theirs.number}/").status_code == 404
    kinds = ["promised", "decision", "supplement"]
    for kind in kinds:
        response = client.get(f"/my/cases/{theirs.number}/documents/{kind}.pdf")
        assert response.status_code == 404
    assert client.get("/my/cases/NO-SUCH-CASE/").status_code == 404


def test_the_case_page_shows_status_due_date_timeline_and_messages(
        client, person, file_case, reviewer_a):
    case = file_case(account=person)
    case_step_take(case=case, by=reviewer_a)
    client.force_login(person)
    page = client.get(f"/my/cases/{case.number}/").content.decode()
    assert "办理中" in page and case.promised_due.strftime("%Y-%m-%d") in page
    assert "<strong>受理</strong>" in page  # the acceptance event
    assert "从待办池领取" not in page  # staff steps are not on the applicant's timeline
    assert "承诺件通知书" in page and f"办件编号{case.number}" in page  # notice, SMS


def test_what_is_needed_lists_the_missing_materials(client, person, file_case, item_a):
    key = {m.pk for m in item_a.current_version.materials.filter(is_key=True)}
    case = file_case(account=person, received=key)
    client.force_login(person)
    page = client.get(f"/my/cases/{case.number}/").content.decode()
    assert case.status == "awaiting_materials"
    assert "需要我补充的" in page and "营业执照复印件" in page
    assert "补办件通知书" in page


def test_the_receipt_downloads_as_a_pdf(client, person, file_case):
    case = file_case(account=person)
    client.force_login(person)
    response = client.get(f"/my/cases/{case.number}/documents/promised.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    # A notice that does not belong to the case's state is not offered.
    assert client.get(f"/my/cases/{case.number}/documents/decision.pdf").status_code == 404


def test_the_list_of_my_cases_has_a_fixed_number_of_queries(
        client, person, file_case, django_assert_max_num_queries):
    for _ in range(3):
        file_case(account=person)
    client.force_login(person)
    client.get("/my/cases/")
    with django_assert_max_num_queries(6):
        first = client.get("/my/cases/")
    for _ in range(5):
        file_case(account=person)
    with django_assert_max_num_queries(6):
        second = client.get("/my/cases/")
    assert first.content.decode().count("/my/cases/") < second.content.decode().count(
        "/my/cases/")


def test_my_home_has_a_fixed_number_of_queries(
        client, person, file_case, django_assert_max_num_queries):
    for _ in range(6):
        file_case(account=person)
    client.force_login(person)
    client.get("/my/")
    with django_assert_max_num_queries(6):
        page = client.get("/my/").content.decode()
    assert "/my/applications/" in page and "/guide/" in page and "/progress/" in page


# --- Elderly-friendly mode -------------------------------------------------------------

def test_the_elderly_switch_sets_a_cookie_and_every_public_page_follows_it(client, person):
    page = client.get("/guide/").content.decode()
    assert '<html lang="zh-hans">' in page and "长辈版" in page
    response = client.get("/my/display/?mode=elderly&next=/guide/")
    assert response.status_code == 302 and response.url == "/guide/"
    assert response.cookies["display_mode"].value == "elderly"
    for url in ("/guide/", "/progress/", "/my/login/", "/my/register/"):
        page = client.get(url).content.decode()
        assert 'class="elderly"' in page and "标准版" in page, url
    response = client.get("/my/display/?mode=standard&next=/guide/")
    assert response.cookies["display_mode"].value == ""
    client.cookies.pop("display_mode", None)
    assert 'class="elderly"' not in client.get("/guide/").content.decode()


def test_the_elderly_switch_never_redirects_off_site(client, center):
    response = client.get("/my/display/?mode=elderly&next=https://evil.example/")
    assert response.url == "/guide/"


def test_the_case_page_has_a_fixed_number_of_queries(
        client, person, file_case, reviewer_a, django_assert_max_num_queries):
    case = file_case(account=person)
    client.force_login(person)
    client.get(f"/my/cases/{case.number}/")
    with django_assert_max_num_queries(10):
        client.get(f"/my/cases/{case.number}/")
    case_step_take(case=case, by=reviewer_a)
    with django_assert_max_num_queries(10):
        client.get(f"/my/cases/{case.number}/")


@override_settings(SESSION_IDLE_TIMEOUT=1800)
def test_an_idle_applicant_is_sent_to_the_applicant_sign_in(client, person):
    import time

    from servicehall.accounts.middleware import STAMP_KEY

    client.force_login(person)
    client.get("/my/")
    session = client.session
    session[STAMP_KEY] = int(time.time()) - 1801
    session.save()
    response = client.get("/my/cases/")
    assert response.status_code == 302 and response.url.startswith("/my/login/?next=")
