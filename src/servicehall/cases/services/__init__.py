"""Every write on a case: intake (`intake.py`) and what follows it (`handling.py`)."""

from .handling import (
    case_appeal,
    case_appeal_decide,
    case_decide,
    case_mark_urgent,
    case_materials_complete,
    case_report_answered,
    case_report_up,
    case_resume,
    case_suspend,
)
from .intake import Applicant, case_intake

__all__ = [
    "Applicant", "case_appeal", "case_appeal_decide", "case_decide", "case_intake",
    "case_mark_urgent", "case_materials_complete", "case_report_answered", "case_report_up",
    "case_resume", "case_suspend",
]
