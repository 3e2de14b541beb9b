"""Every write on a case: intake (`intake.py`), handling after it (`handling.py`), the
process steps (`steps.py`), co-departments of joint cases (`joint.py`) and the end of a case
(`decision.py`)."""

from .decision import (
    case_decide,
    case_deliver,
    case_extension_decide,
    case_extension_request,
    case_silent_consent,
    case_verify,
    cases_apply_silent_consent,
)
from .handling import (
    case_appeal,
    case_appeal_decide,
    case_mark_urgent,
    case_materials_complete,
    case_report_answered,
    case_report_up,
    case_request_supplement,
    case_resume,
    case_return_review,
    case_suspend,
    case_tolerated_materials_received,
)
from .intake import Applicant, case_intake
from .joint import case_joint_task_complete
from .steps import (
    case_comment,
    case_step_assign,
    case_step_complete,
    case_step_hand_over,
    case_step_take,
    case_step_take_back,
)

__all__ = [
    "Applicant", "case_appeal", "case_appeal_decide", "case_comment", "case_decide",
    "case_deliver", "case_extension_decide", "case_extension_request", "case_intake",
    "case_joint_task_complete", "case_mark_urgent", "case_materials_complete",
    "case_report_answered", "case_report_up", "case_request_supplement", "case_resume",
    "case_return_review", "case_silent_consent", "case_step_assign", "case_step_complete",
    "case_step_hand_over", "case_step_take", "case_step_take_back", "case_suspend",
    "case_tolerated_materials_received", "case_verify", "cases_apply_silent_consent",
]
