"""The item's process on a case (受理→承办→审核→审定→批准→办结): every step held by one person
or waiting in the department's pool, each with its own budget and due date. The step in hand is
mirrored on the case (`current_step`, `current_assignee`, `current_step_due`) so that work
queues are one indexed query."""

import math
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from servicehall.accounts.choices import DEPARTMENT_ROLES, Role
from servicehall.catalog.selectors import version_steps
from servicehall.core import audit, businessday
from servicehall.core.audited import audited_service
from servicehall.core.calendar import calendar_for
from servicehall.core.compiled import Compiled
from servicehall.core.errors import Conflict, PermissionDenied, ValidationFailed
from servicehall.core.inserts import insert_many
from servicehall.core.permissions import require_perm
from servicehall.core.workcalendar import CalendarNotConfigured

from ..choices import CaseStatus, EventKind, StepStatus
from ..models import Case, CaseStep
from .common import CaseStateError, locked, require_text, save_transition, working_days_after

HANDLING_STATUSES = frozenset({CaseStatus.IN_PROGRESS})
ONE_DAY = timedelta(days=1)

_ACTIVE_STEP = Compiled(lambda case_id: CaseStep.objects.select_for_update().filter(
    case_id=case_id, status=StepStatus.ACTIVE).order_by("position")[:1], case_id=int)
_NAMES_AND_STATUSES = Compiled(lambda case_id: CaseStep.objects.filter(
    case_id=case_id).order_by("position").values_list("name", "status"), case_id=int)
_LAST_OPEN_STEP = Compiled(lambda case_id: CaseStep.objects.filter(case_id=case_id).exclude(
    status=StepStatus.DONE).order_by("-position")[:1], case_id=int)
_NEXT_WAITING_STEP = Compiled(lambda case_id: CaseStep.objects.filter(
    case_id=case_id, status=StepStatus.WAITING).order_by("position")[:1], case_id=int)


def create_steps(case: Case, *, by, start_on: date | None = None) -> None:
    """The case's copy of its item version's process; the first step (受理) is done by intake.
    With `start_on` the clock already runs: the next step is created in the department's pool
    and mirrored on the case, as `activate_next_step` would do, without reading it back."""
    now = businessday.now()
    steps = [CaseStep(case=case, position=step.position, name=step.name,
                      budget_days=step.budget_days)
             for step in version_steps(case.item_version)]
    if steps:
        steps[0].status, steps[0].completed_at, steps[0].completed_by = StepStatus.DONE, now, by
        steps[0].started_on = case.received_on
    if start_on is not None and len(steps) > 1:
        _activate(case, steps[1], today=start_on)
    insert_many(steps)
    if start_on is not None:
        mirror_current_step(case, steps[1] if len(steps) > 1 else None)


def activate_next_step(case: Case, *, today) -> CaseStep | None:
    """Put the first waiting step in the department's pool, due after its budget."""
    step = case.steps.filter(status=StepStatus.WAITING).order_by("position").first()
    if step is not None:
        _activate(case, step, today=today)
        step.save(update_fields=["status", "started_on", "due_on"])
    mirror_current_step(case, step)
    return step


def _activate(case: Case, step: CaseStep, *, today) -> None:
    step.status, step.started_on = StepStatus.ACTIVE, today
    step.due_on = working_days_after(case, today, max(1, math.ceil(step.budget_days)))


def mirror_current_step(case: Case, step: CaseStep | None) -> None:
    case.current_step = step
    case.current_assignee_id = step.assignee_id if step else None
    case.current_step_due = step.due_on if step else None


def due_after_pause(case: Case, due: date, *, started: date, paused_from: date,
                    resumed_on: date) -> date | None:
    """A due date moved later by the working days a pause stopped the clock, as the case's own
    deadlines are: a pause that began after `due` does not help, nor days before `started`.
    None where the calendar does not reach."""
    if paused_from > due:
        return due
    try:
        calendar = calendar_for(case.center)
        stopped = calendar.working_days_between(max(paused_from, started + ONE_DAY) - ONE_DAY,
                                                resumed_on - ONE_DAY)
        return calendar.add_working_days(due, max(0, stopped))
    except CalendarNotConfigured:
        return None


def move_step_due_after_pause(case: Case, *, paused_from: date, resumed_on: date) -> None:
    step = case.steps.filter(status=StepStatus.ACTIVE, due_on__isnull=False).first()
    if step is None or step.due_on is None or step.started_on is None:
        return
    step.due_on = due_after_pause(case, step.due_on, started=step.started_on,
                                  paused_from=paused_from, resumed_on=resumed_on)
    step.save(update_fields=["due_on"])
    mirror_current_step(case, step)


def close_open_steps(case: Case, *, by) -> None:
    """The decision closes the steps still open (the deciding step is done by the decider)."""
    now = businessday.now()
    last = _LAST_OPEN_STEP.first(case_id=case.pk)
    if last is not None:
        case.steps.exclude(status=StepStatus.DONE).exclude(pk=last.pk).update(
            status=StepStatus.SKIPPED)
        last.status, last.completed_at, last.completed_by = StepStatus.DONE, now, by
        last.save(update_fields=["status", "completed_at", "completed_by"])
    mirror_current_step(case, None)


def steps_before_decision_open(case: Case) -> list[str]:
    """Names of the steps that must be done before the last one (the decision) is taken."""
    steps = _NAMES_AND_STATUSES.all(case_id=case.pk)
    return [name for name, status in steps[:-1]
            if status not in (StepStatus.DONE, StepStatus.SKIPPED)]


def _active_step(case: Case) -> CaseStep:
    step = _ACTIVE_STEP.first(case_id=case.pk)
    if step is None:
        raise CaseStateError(_("Case {number} has no step in hand.").format(number=case.number))
    return step


def _colleague(case: Case, user_id: int, field: str):
    """A reviewer or chief representative of the case's department, or a field error."""
    user = get_user_model().objects.filter(
        pk=user_id, is_active=True, department_id=case.department_id,
        role__in=DEPARTMENT_ROLES).first()
    if user is None:
        raise ValidationFailed(fields={field: [_("Choose an active member of the department "
                                                 "that handles the case.")]})
    return user


def _may_act_for(user, step: CaseStep) -> bool:
    """The holder of a step, anyone of the department for a pool step, and the chief
    representative always."""
    return (step.assignee_id in (None, user.pk) or user.is_superuser
            or user.role == Role.CHIEF_REPRESENTATIVE)


def _step_change(case: Case, step: CaseStep, *, kind: str, by, note: str, action: str,
                 before: dict) -> Case:
    step.save()
    mirror_current_step(case, step if step.status == StepStatus.ACTIVE else case.current_step)
    return save_transition(case, kind=kind, by=by, note=note, action=action, before=before,
                           today=businessday.today())


@audited_service("cases.step_assign")
def case_step_assign(*, case: Case, to_user_id: int, by) -> Case:
    """The chief representative (or a colleague) puts the step in hand on one person's desk."""
    case = locked(case, allowed=HANDLING_STATUSES)
    require_perm(by, "cases.handle_case", case)
    step, before = _active_step(case), audit.snapshot(case)
    if by is not None and not _may_act_for(by, step):
        raise PermissionDenied(_("Only the holder of the step or the chief representative may "
                                 "reassign it."))
    to = _colleague(case, to_user_id, "user_id")
    step.assignee, step.handed_over_by = to, None
    return _step_change(case, step, kind=EventKind.STEP_ASSIGNED, by=by,
                        note=f"{step.name} → {to}", action="cases.step_assigned",
                        before=before)


@audited_service("cases.step_take")
def case_step_take(*, case: Case, by) -> Case:
    """Take the step in hand from the department's pool."""
    case = locked(case, allowed=HANDLING_STATUSES)
    require_perm(by, "cases.handle_case", case)
    step, before = _active_step(case), audit.snapshot(case)
    if step.assignee_id is not None:
        raise CaseStateError(_("Step “{step}” is already held by {user}.").format(
            step=step.name, user=step.assignee))
    step.assignee = by
    return _step_change(case, step, kind=EventKind.STEP_TAKEN, by=by, note=step.name,
                        action="cases.step_taken", before=before)


@audited_service("cases.step_hand_over")
def case_step_hand_over(*, case: Case, to_user_id: int, note: str, by) -> Case:
    """Pass the step in hand to a colleague; the giver may take it back until it is done."""
    case = locked(case, allowed=HANDLING_STATUSES)
    require_perm(by, "cases.handle_case", case)
    step, before = _active_step(case), audit.snapshot(case)
    if by is not None and not _may_act_for(by, step):
        raise PermissionDenied(_("Only the holder of the step may hand it over."))
    to = _colleague(case, to_user_id, "user_id")
    if to.pk == step.assignee_id:
        raise ValidationFailed(fields={"user_id": [_("The step is already with {user}.")
                                                      .format(user=to)]})
    step.assignee, step.handed_over_by = to, by
    return _step_change(case, step, kind=EventKind.STEP_HANDED_OVER, by=by,
                        note=f"{step.name} → {to}" + (f":{note.strip()}" if note.strip() else ""),
                        action="cases.step_handed_over", before=before)


@audited_service("cases.step_take_back")
def case_step_take_back(*, case: Case, by) -> Case:
    """The giver takes a handed-over step back while it is still open."""
    case = locked(case, allowed=HANDLING_STATUSES)
    require_perm(by, "cases.handle_case", case)
    step, before = _active_step(case), audit.snapshot(case)
    if by is None or step.handed_over_by_id != by.pk:
        raise CaseStateError(_("Only the person who handed the step over can take it back."))
    step.assignee, step.handed_over_by = by, None
    return _step_change(case, step, kind=EventKind.STEP_TAKEN_BACK, by=by, note=step.name,
                        action="cases.step_taken_back", before=before)


@audited_service("cases.step_complete")
def case_step_complete(*, case: Case, opinion: str, by,
                       expected_revision: int | None = None) -> Case:
    """Finish the step in hand with an opinion; the next step goes to the department's pool.
    The last step is the decision itself (`case_decide`). The step the caller saw in hand is
    the one completed: if another reviewer completed it meanwhile, that is a conflict, never
    an opinion written for one step landing on the next."""
    seen_step_id = case.current_step_id
    case = locked(case, allowed=HANDLING_STATUSES, expected_revision=expected_revision)
    require_perm(by, "cases.handle_case", case)
    step, before = _active_step(case), audit.snapshot(case)
    if seen_step_id is not None and step.pk != seen_step_id:
        raise Conflict(_("The step you opened was completed by someone else meanwhile; reload "
                         "case {number} and check its new step.").format(number=case.number))
    if by is not None and not _may_act_for(by, step):
        raise PermissionDenied(_("Step “{step}” is held by {user}.").format(
            step=step.name, user=step.assignee))
    following = _NEXT_WAITING_STEP.first(case_id=case.pk)
    if following is None:
        raise CaseStateError(_("“{step}” is the last step: record the decision instead.")
                             .format(step=step.name))
    require_text(opinion, "opinion", _("Write the opinion of this step."))
    today = businessday.today()
    step.status, step.opinion = StepStatus.DONE, opinion
    step.completed_at, step.completed_by = businessday.now(), by
    if step.assignee_id is None:
        step.assignee = by
    step.save(update_fields=["status", "opinion", "completed_at", "completed_by", "assignee"])
    _activate(case, following, today=today)
    following.save(update_fields=["status", "started_on", "due_on"])
    mirror_current_step(case, following)
    return save_transition(case, kind=EventKind.STEP_COMPLETED, by=by,
                           note=f"{step.name}:{opinion.strip()}", action="cases.step_completed",
                           before=before, today=today)


@audited_service("cases.comment")
def case_comment(*, case: Case, text: str, by) -> Case:
    """A note on the timeline, for colleagues and supervision."""
    case = locked(case, allowed=frozenset(CaseStatus))
    require_perm(by, "cases.view_case", case)
    require_text(text, "text", _("Write the comment."))
    return save_transition(case, kind=EventKind.COMMENTED, by=by, note=text.strip(),
                           action="cases.commented", before=audit.snapshot(case),
                           today=businessday.today())
