"""Each irregularity rule fires when it should, once per case and kind."""

from datetime import date

import pytest

from servicehall.cases.choices import CaseStatus, StepStatus
from servicehall.cases.models import Case, CasePause, CaseStep
from servicehall.cases.services import (
    case_comment,
    case_request_supplement,
    case_suspend,
)
from servicehall.core import businessday
from servicehall.core.errors import Conflict
from servicehall.supervision.choices import FindingKind, FindingStatus
from servicehall.supervision.irregularities import detect_state, detect_time
from servicehall.supervision.models import Finding
from servicehall.supervision.scanner import scan
from servicehall.supervision.services import finding_review

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 9)


def kinds(case):
    return set(Finding.objects.filter(case=case).values_list("kind", flat=True))


def test_a_return_with_no_real_reason_is_flagged(accept):
    case = accept()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.RETURNED, return_reasons=["other"],
                                           return_note=" ")
    assert detect_state(today=TODAY)[FindingKind.RETURNED_WITHOUT_REASON] == 1
    assert detect_state(today=TODAY)[FindingKind.RETURNED_WITHOUT_REASON] == 0  # once


def test_a_return_with_its_reason_written_is_not_flagged(accept):
    case = accept()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.RETURNED, return_reasons=["other"],
                                           return_note="申请事项不属于本部门职权范围")
    detect_state(today=TODAY)
    assert kinds(case) == set()


def test_a_second_supplement_request_is_flagged_at_once(item_a, clerk, reviewer_a):
    from servicehall.cases.services import case_intake, case_materials_complete
    from tests.cases.conftest import PERSON

    key = {m.pk for m in item_a.current_version.materials.filter(is_key=True)}
    with businessday.replaying(date(2026, 9, 30)):
        case = case_intake(item=item_a, applicant=PERSON, received=key, by=clerk)
        case = case_materials_complete(case=case, by=clerk)
        material = item_a.current_version.materials.filter(is_key=False).first()
        case_request_supplement(case=case, material_ids={material.pk}, note="复印件不清晰",
                                by=reviewer_a)
    assert FindingKind.REPEATED_SUPPLEMENT in kinds(case)


def test_a_suspension_without_a_reason_is_flagged(accept):
    case = accept()
    CasePause.objects.create(case=case, kind="expert_review", reason="  ", start=TODAY)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.SUSPENDED)
    detect_state(today=TODAY)
    assert kinds(case) == {FindingKind.SUSPENDED_WITHOUT_REASON}


def test_a_suspension_beyond_its_expected_length_is_flagged_the_day_after(accept, reviewer_a):
    case = accept()
    with businessday.replaying(date(2026, 9, 30)):
        case_suspend(case=case, kind="expert_review", reason="专家评审", by=reviewer_a,
                     expected_working_days=3)  # 10-08, 10-09, 10-10 (Sat, make-up day)
    assert detect_time(today=date(2026, 10, 10))[FindingKind.SUSPENSION_OVERRUN] == 0
    assert detect_time(today=date(2026, 10, 12))[FindingKind.SUSPENSION_OVERRUN] == 1


def test_a_case_nobody_touched_for_three_working_days_is_flagged(accept, reviewer_a):
    idle, handled = accept(), accept()
    with businessday.replaying(date(2026, 10, 8)):
        case_comment(case=handled, text="已阅", by=reviewer_a)
    scan(today=date(2026, 10, 9))
    # accepted Wed 09-30: 10-08, 10-09 are 2 working days; Sat 10-10 the third
    assert detect_time(today=date(2026, 10, 9))[FindingKind.UNTOUCHED] == 0
    assert detect_time(today=date(2026, 10, 10))[FindingKind.UNTOUCHED] == 1
    assert kinds(idle) == {FindingKind.UNTOUCHED} and kinds(handled) == set()


def test_a_decision_without_a_recorded_decision_is_flagged(accept):
    case = accept()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.COMPLETED, completed_on=TODAY,
                                           decision="")
    detect_state(today=TODAY)
    assert kinds(case) == {FindingKind.DECIDED_WITHOUT_DOCUMENT}


def test_a_step_done_before_an_earlier_one_is_acting_out_of_order(accept):
    case = accept()
    steps = list(case.steps.order_by("position"))
    CaseStep.objects.filter(pk=steps[-1].pk).update(status=StepStatus.DONE)
    detect_state(today=TODAY, case_ids=[case.pk])
    assert kinds(case) == {FindingKind.OUT_OF_STEP_ORDER}


def test_a_case_whose_deadline_year_has_no_calendar_is_flagged(accept):
    case = accept()
    Case.objects.filter(pk=case.pk).update(promised_due=date(2027, 1, 12))
    scan(today=TODAY, full=True)
    assert detect_time(today=TODAY)[FindingKind.CALENDAR_NOT_CONFIGURED] == 1


def test_the_supervision_section_reviews_a_finding_once(accept, supervisor):
    case = accept()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.COMPLETED, completed_on=TODAY)
    detect_state(today=TODAY)
    finding = Finding.objects.get(case=case)
    finding = finding_review(finding=finding, confirm=True, note="情况属实", by=supervisor)
    assert finding.status == FindingStatus.CONFIRMED
    with pytest.raises(Conflict):
        finding_review(finding=finding, confirm=False, note="x", by=supervisor)


def test_a_case_waiting_for_materials_has_no_running_clock_and_no_calendar_finding(item_a, clerk):
    from servicehall.cases.services import case_intake
    from servicehall.supervision.models import CaseWatch
    from tests.cases.conftest import PERSON

    key = {m.pk for m in item_a.current_version.materials.filter(is_key=True)}
    with businessday.replaying(date(2026, 9, 30)):
        case = case_intake(item=item_a, applicant=PERSON, received=key, by=clerk)
    assert case.status == CaseStatus.AWAITING_MATERIALS
    scan(today=TODAY)
    assert CaseWatch.objects.get(pk=case.pk).light == "paused"
    assert detect_time(today=TODAY)[FindingKind.CALENDAR_NOT_CONFIGURED] == 0
