from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    WINDOW_STAFF = "window_staff", _("Window staff")
    REVIEWER = "reviewer", _("Department reviewer")
    CHIEF_REPRESENTATIVE = "chief_representative", _("Chief representative")
    BUSINESS_SECTION = "business_section", _("Business section")
    SUPERVISION_SECTION = "supervision_section", _("Supervision section")
    CENTER_LEADER = "center_leader", _("Center leader")
    CENTER_ADMIN = "center_admin", _("Center administrator")
    HOTLINE_OPERATOR = "hotline_operator", _("Hotline operator")


STAFF_ROLES = frozenset(Role) - {Role.APPLICANT}
# Roles that belong to one department and see only that department's work.
DEPARTMENT_ROLES = frozenset({Role.REVIEWER, Role.CHIEF_REPRESENTATIVE})
# Roles that see the whole center they belong to.
CENTER_WIDE_ROLES = frozenset({Role.WINDOW_STAFF, Role.BUSINESS_SECTION, Role.SUPERVISION_SECTION,
                               Role.CENTER_LEADER, Role.CENTER_ADMIN, Role.HOTLINE_OPERATOR})
# Roles that keep the service catalog: center-wide ones for every department.
CATALOG_KEEPERS = frozenset({Role.BUSINESS_SECTION, Role.CENTER_ADMIN})
CALENDAR_KEEPERS = frozenset({Role.BUSINESS_SECTION, Role.CENTER_ADMIN})
AUDIT_READERS = frozenset({Role.SUPERVISION_SECTION, Role.CENTER_LEADER, Role.CENTER_ADMIN})


class ApplicantKind(models.TextChoices):
    """Who an applicant account stands for (the same values as a case's applicant kind)."""

    PERSON = "person", pgettext_lazy("applicant kind", "Person")
    ENTERPRISE = "enterprise", pgettext_lazy("applicant kind", "Enterprise")


class CodePurpose(models.TextChoices):
    REGISTER = "register", _("Registration")
