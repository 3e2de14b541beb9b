"""Every write on an online application: the applicant's (`applicant.py`) and the
department's pre-review (`review.py`)."""

from .applicant import (
    ApplicationData,
    application_file_add,
    application_file_remove,
    application_save,
    application_start,
    application_submit,
    application_withdraw,
    check_file,
    submit_errors,
)
from .common import ApplicationStateError, RateLimited
from .review import (
    NoticeLine,
    application_pre_accept,
    application_reject,
    application_request_supplement,
)

__all__ = [
    "ApplicationData", "ApplicationStateError", "NoticeLine", "RateLimited",
    "application_file_add", "application_file_remove", "application_pre_accept",
    "application_reject", "application_request_supplement", "application_save",
    "application_start", "application_submit", "application_withdraw", "check_file",
    "submit_errors",
]
