from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting pre-review")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    PRE_ACCEPTED = "pre_accepted", _("Pre-accepted")
    REJECTED = "rejected", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The applicant may change the form and the files only in these states.
EDITABLE = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.SUPPLEMENT_REQUESTED})
# The applicant may withdraw until the department has decided.
WITHDRAWABLE = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED,
                          ApplicationStatus.SUPPLEMENT_REQUESTED})
# Waiting for the department's pre-review.
REVIEWABLE = frozenset({ApplicationStatus.SUBMITTED})
TERMINAL = frozenset({ApplicationStatus.PRE_ACCEPTED, ApplicationStatus.REJECTED,
                      ApplicationStatus.WITHDRAWN})

STATUS_COLOURS = {
    ApplicationStatus.DRAFT: "grey",
    ApplicationStatus.SUBMITTED: "blue",
    ApplicationStatus.SUPPLEMENT_REQUESTED: "orange",
    ApplicationStatus.PRE_ACCEPTED: "green",
    ApplicationStatus.REJECTED: "red",
    ApplicationStatus.WITHDRAWN: "grey",
}


class FileKind(models.TextChoices):
    PDF = "pdf", _("PDF document")
    JPEG = "jpeg", _("JPEG image")
    PNG = "png", _("PNG image")


FILE_CONTENT_TYPES: dict[str, str] = {FileKind.PDF: "application/pdf", FileKind.JPEG: "image/jpeg",
                      FileKind.PNG: "image/png"}
