"""The department's pre-review (预审) of a submitted application: pre-accept it (the case is
filed through the ordinary intake, channel online, and follows the normal lifecycle), ask once
for everything missing or incorrect (一次性告知), or refuse it with the reason."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.cases.choices import IntakeChannel
from servicehall.cases.services.intake import case_intake
from servicehall.core.audited import audited_service
from servicehall.core.errors import ValidationFailed
from servicehall.core.permissions import require_perm

from ..choices import REVIEWABLE, ApplicationStatus
from ..models import Application
from ..notifications import REJECTED, SUPPLEMENT_REQUESTED, notify_applicant
from .applicant import ApplicationData
from .common import ApplicationStateError, locked, saved, snapshot


@dataclass(frozen=True)
class NoticeLine:
    """One material of the one-time notice and what is wrong with it."""

    material_id: int
    problem: str = ""


def _reviewed(application: Application, *, by, status: str) -> None:
    application.status = status
    application.reviewed_by, application.reviewed_at = by, timezone.now()


@audited_service("online.pre_accept")
def application_pre_accept(*, application: Application, by,
                           expected_revision: int | None = None) -> Application:
    """File the case: received are the materials with at least one upload. Two reviewers at
    once get one case and one conflict (the application row is locked, the state checked)."""
    require_perm(by, "online.pre_review", application)
    application = locked(application, allowed=REVIEWABLE, expected_revision=expected_revision)
    before = snapshot(application)
    received = set(application.files.values_list("material_id", flat=True))
    case = case_intake(item=application.item, applicant=ApplicationData.of(application)
                       .applicant(), received=received, by=by, channel=IntakeChannel.ONLINE,
                       account=application.applicant,
                       idempotency_key=f"online-application-{application.pk}")
    application.case = case
    _reviewed(application, by=by, status=ApplicationStatus.PRE_ACCEPTED)
    return saved(application, action="online.pre_accepted", by=by, before=before)


@audited_service("online.request_supplement")
def application_request_supplement(*, application: Application, by, lines: list[NoticeLine],
                                   note: str = "",
                                   expected_revision: int | None = None) -> Application:
    """The one-time notice: every material to add or correct, listed at once. It is given
    once; after the applicant's correction the department pre-accepts or refuses."""
    require_perm(by, "online.pre_review", application)
    application = locked(application, allowed=REVIEWABLE, expected_revision=expected_revision)
    if application.supplement_rounds:
        raise ApplicationStateError(_("The one-time notice was already given for this "
                                      "application; pre-accept it or refuse it with a reason."))
    materials = {m.pk: m for m in application.item_version.materials.all()}
    if any(line.material_id not in materials for line in lines):
        raise ValidationFailed(fields={"materials": [_("Materials that this item does not "
                                                       "list were chosen.")]})
    if not lines and not note.strip():
        raise ValidationFailed(fields={"materials": [
            _("Name every material to add or correct, or explain in the note.")]})
    before = snapshot(application)
    application.supplement_notice = [
        {"material": line.material_id, "name": materials[line.material_id].name,
         "problem": line.problem.strip()[:300]}
        for line in sorted(lines, key=lambda x: materials[x.material_id].position)]
    application.supplement_note = note.strip()
    application.supplement_rounds += 1
    _reviewed(application, by=by, status=ApplicationStatus.SUPPLEMENT_REQUESTED)
    application = saved(application, action="online.supplement_requested", by=by,
                        before=before)
    notify_applicant(application, SUPPLEMENT_REQUESTED)
    return application


@audited_service("online.reject")
def application_reject(*, application: Application, by, reason: str,
                       expected_revision: int | None = None) -> Application:
    require_perm(by, "online.pre_review", application)
    application = locked(application, allowed=REVIEWABLE, expected_revision=expected_revision)
    if not reason.strip():
        raise ValidationFailed(fields={"reason": [_("State the reason for not accepting the "
                                                    "application.")]})
    before = snapshot(application)
    application.rejection_reason = reason.strip()
    _reviewed(application, by=by, status=ApplicationStatus.REJECTED)
    application = saved(application, action="online.rejected", by=by, before=before)
    notify_applicant(application, REJECTED)
    return application
