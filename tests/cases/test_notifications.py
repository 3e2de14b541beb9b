from dataclasses import replace
from datetime import date

import pytest
from django.utils import translation

from servicehall.cases.notifications import READY_FOR_PICKUP, notify_applicant
from servicehall.cases.services import (
    case_appeal,
    case_appeal_decide,
    case_decide,
    case_intake,
    case_materials_complete,
)
from servicehall.catalog.elements import MaterialSpec
from servicehall.core.errors import ValidationFailed
from servicehall.core.models import OutboxMessage
from tests.cases.conftest import ENTERPRISE, PERSON, to_decision

pytestmark = pytest.mark.django_db


def _bodies(event=None) -> list[str]:
    messages = OutboxMessage.objects.order_by("pk")
    if event:
        messages = messages.filter(event=f"cases.{event}")
    return list(messages.values_list("body", flat=True))


def test_acceptance_sends_an_sms_with_the_promised_date_and_no_id_number(
        today, item_a, clerk, all_materials):
    case = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    message = OutboxMessage.objects.get()
    assert (message.channel, message.recipient, message.event) == (
        "sms", "13800138000", "cases.accepted")
    assert (message.object_type, message.object_id, message.status) == (
        "cases.case", str(case.pk), "pending")
    assert message.body.startswith("【深圳市行政服务大厅】孙丽女士/先生您好")
    assert case.number in message.body and "2026年9月30日" in message.body
    assert "2026年10月20日" in message.body  # the promised deadline
    assert PERSON.id_number not in message.body and "1101" not in message.body


def test_an_immediate_case_is_announced_without_a_deadline(today, department_a, make_item,
                                                          clerk):
    item = make_item(department_a, "SCJG-0009", processing_type="immediate", promised_limit=0,
                     steps=[])
    received = {m.pk for m in item.current_version.materials.all()}
    case_intake(item=item, applicant=PERSON, received=received, by=clerk)
    [body] = _bodies("accepted")
    assert "正在办理" in body and "前办结" not in body


def test_a_case_without_a_phone_number_gets_no_message(today, item_a, clerk, all_materials):
    case_intake(item=item_a, applicant=replace(PERSON, phone=""), received=all_materials,
                by=clerk)
    assert not OutboxMessage.objects.exists()


def test_an_enterprise_is_addressed_by_its_name(today, item_a, clerk, all_materials):
    case_intake(item=item_a, applicant=replace(ENTERPRISE, phone="13900139000"),
                received=all_materials, by=clerk)
    [body] = _bodies("accepted")
    assert "】深圳市示例科技有限公司您好" in body
    assert ENTERPRISE.agent_id_number not in body


def test_the_supplement_message_lists_every_missing_material_at_once(today, department_a,
                                                                     make_item, clerk):
    item = make_item(department_a, "SCJG-0002", materials=[
        MaterialSpec(name="食品经营许可申请书", is_key=True),
        MaterialSpec(name="营业执照复印件", form="copy"),
        MaterialSpec(name="法定代表人身份证明"),
        MaterialSpec(name="食品安全管理制度", is_required=False),
    ])
    key = {m.pk for m in item.current_version.materials.filter(is_key=True)}
    case = case_intake(item=item, applicant=PERSON, received=key, by=clerk)
    [body] = _bodies("supplement_requested")
    assert "营业执照复印件、法定代表人身份证明" in body
    assert "食品安全管理制度" not in body  # optional materials are not asked for
    case_materials_complete(case=case, by=clerk)
    assert len(_bodies()) == 1  # completing the materials sends nothing


def test_the_return_message_states_the_reasons_and_the_right_to_appeal(today, item_a, clerk):
    case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk,
                return_reasons=["key_materials_missing", "not_in_scope"],
                return_note="缺食品经营许可申请书")
    [body] = _bodies("returned")
    assert "缺少主要材料、不属于本部门职权范围;缺食品经营许可申请书" in body
    assert "业务科" in body


def test_a_decision_is_announced_with_its_reasons(today, item_a, clerk, all_materials,
                                                 reviewer_a):
    case = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    today.day = date(2026, 10, 12)
    case_decide(case=to_decision(case, reviewer_a), decision="denied", note="经营场所不符合要求。",
                by=reviewer_a)
    [body] = _bodies("decided")
    assert "2026年10月12日" in body and "不予许可" in body and "经营场所不符合要求" in body


def test_a_refused_decision_sends_nothing(today, item_a, clerk, all_materials, reviewer_a):
    case = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    with pytest.raises(ValidationFailed):
        case_decide(case=case, decision="denied", note="", by=reviewer_a)
    assert _bodies("decided") == []


def test_a_return_reopened_on_appeal_is_announced_as_accepted(today, item_a, clerk,
                                                              business_section):
    case = case_intake(item=item_a, applicant=PERSON, received=set(), by=clerk,
                       return_reasons=["key_materials_missing"])
    case = case_appeal(case=case, reason="申请书已在网上提交", by=clerk)
    case_appeal_decide(case=case, result="upheld", note="退回理由成立", by=business_section)
    assert _bodies("accepted") == []
    case = case_appeal(case=case, reason="再次申诉", by=clerk)
    today.day = date(2026, 10, 9)
    case_appeal_decide(case=case, result="reopened", note="核实网上已提交", by=business_section)
    [body] = _bodies("accepted")
    assert "2026年10月9日" in body and "2026年10月22日" in body


def test_messages_are_in_chinese_whatever_the_staff_language(today, item_a, clerk,
                                                            all_materials):
    with translation.override("en"):
        case = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
        notify_applicant(case, READY_FOR_PICKUP)
    [body] = _bodies(READY_FOR_PICKUP)
    assert "可领取" in body and "Dear" not in body

