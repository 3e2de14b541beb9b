from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    RETURN_REVIEW = "return_review", _("Return under department review")
    AWAITING_MATERIALS = "awaiting_materials", _("Awaiting materials")
    IN_PROGRESS = "in_progress", _("In progress")
    SUSPENDED = "suspended", _("Suspended (special procedure)")
    REPORTED_UP = "reported_up", _("Reported to a higher authority")
    RETURNED = "returned", _("Returned")
    UNDER_APPEAL = "under_appeal", _("Under appeal")
    COMPLETED = "completed", _("Completed")
    REVOKED = "revoked", _("Decision revoked")


OPEN_STATUSES = frozenset({CaseStatus.RETURN_REVIEW, CaseStatus.AWAITING_MATERIALS,
                           CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED, CaseStatus.REPORTED_UP})
PAUSED_STATUSES = frozenset({CaseStatus.SUSPENDED, CaseStatus.REPORTED_UP})
DECIDABLE_STATUSES = frozenset({CaseStatus.IN_PROGRESS})


class CaseType(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate case")
    PROMISED = "promised", _("Promised case")
    SUPPLEMENT = "supplement", _("Supplement case")
    JOINT = "joint", _("Joint case")
    RETURNED = "returned", _("Returned case")
    REPORTED = "reported", _("Reported-up case")


class IntakeOutcome(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    SUPPLEMENT = "supplement", _("Accept pending supplement")
    RETURN = "return", _("Return")
    RETURN_REVIEW = "return_review", _("Return after department review")


class AcceptanceMode(models.TextChoices):
    STANDARD = "standard", _("Standard")
    NOTIFY_COMMIT = "notify_commit", _("Notify and commit (告知承诺制)")
    TOLERANCE = "tolerance", _("Accept with minor materials missing (容缺受理)")


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ACTIVE = "active", _("In hand")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Closed with the decision")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting center approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class VerificationResult(models.TextChoices):
    PASSED = "passed", _("Verified: conditions met")
    FAILED = "failed", _("Verification failed: decision revoked")


class IrregularityKind(models.TextChoices):
    REPEATED_SUPPLEMENT = "repeated_supplement", _("Repeated supplement request")


class DeliveryMode(models.TextChoices):
    WINDOW = "window", _("Pick up at the window")
    POST = "post", _("By post")
    ONLINE = "online", _("Electronic delivery")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    ENTERPRISE = "enterprise", _("Enterprise")


class IntakeChannel(models.TextChoices):
    WINDOW = "window", _("At a window")
    ONLINE = "online", _("Online")
    API = "api", _("Other system (API)")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Approved with conditions")
    DENIED = "denied", _("Denied")


class AppealResult(models.TextChoices):
    UPHELD = "upheld", _("Return upheld")
    REOPENED = "reopened", _("Re-opened and accepted")


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    MATERIALS_COMPLETED = "materials_completed", _("Materials complete")
    RETURNED = "returned", _("Returned")
    APPEALED = "appealed", _("Appealed")
    APPEAL_DECIDED = "appeal_decided", _("Appeal decided")
    SUSPENDED = "suspended", _("Suspended")
    RESUMED = "resumed", _("Resumed")
    MARKED_URGENT = "marked_urgent", _("Marked urgent")
    DECIDED = "decided", _("Decided")
    RETURN_CONFIRMED = "return_confirmed", _("Return confirmed after review")
    RETURN_OVERTURNED = "return_overturned", _("Accepted after return review")
    STEP_ASSIGNED = "step_assigned", _("Step assigned")
    STEP_TAKEN = "step_taken", _("Step taken from the pool")
    STEP_HANDED_OVER = "step_handed_over", _("Step handed over")
    STEP_TAKEN_BACK = "step_taken_back", _("Step taken back")
    STEP_COMPLETED = "step_completed", _("Step completed")
    COMMENTED = "commented", _("Comment")
    JOINT_TASK_DONE = "joint_task_done", _("Co-department finished its task")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_DECIDED = "extension_decided", _("Extension decided")
    SILENT_CONSENT = "silent_consent", _("Deemed approved (silent consent)")
    DELIVERED = "delivered", _("Result delivered")
    VERIFIED = "verified", _("Post-approval verification")
    REVOKED = "revoked", _("Decision revoked")


# The standard reasons of a return (退回件); free text completes them.
RETURN_REASONS = {
    "not_in_scope": _("Not within this department's remit"),
    "conditions_not_met": _("The applicant does not meet the conditions"),
    "key_materials_missing": _("Main materials are missing"),
    "materials_invalid": _("Materials are not in the legal form"),
    "other": _("Other reason"),
}


class PauseKind(models.TextChoices):
    """Mirrors cases.clock.PauseKind, with labels for the UI."""

    HEARING = "hearing", _("Hearing")
    EXPERT_REVIEW = "expert_review", _("Expert review")
    SITE_SURVEY = "site_survey", _("Site survey")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    APPLICANT_CORRECTION = "applicant_correction", _("Applicant correction")
    REPORTED_UP = "reported_up", _("Reported to a higher authority")
