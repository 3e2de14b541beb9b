"""Joint cases (联办件): the lead department holds the case; every co-department gets a task of
its own with its own budget; the case can be decided when every task is done."""

from django.utils.translation import gettext as _

from servicehall.core import audit, businessday
from servicehall.core.audited import audited_service
from servicehall.core.compiled import Compiled
from servicehall.core.errors import NotFound
from servicehall.core.permissions import require_perm

from ..choices import CaseStatus, EventKind, TaskStatus
from ..models import Case, JointTask
from .common import CaseStateError, locked, require_text, save_transition, working_days_after

JOINT_WORKING_STATUSES = frozenset({CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED,
                                    CaseStatus.REPORTED_UP})


def co_department_budget(promised_working_days: int) -> int:
    """A co-department's share: the promised limit less one working day for the lead
    department to conclude, at least one day."""
    return max(1, promised_working_days - 1)


def create_joint_tasks(case: Case, *, start_on=None) -> None:
    version = case.item_version
    budget = co_department_budget(version.promised_limit)
    due_on = working_days_after(case, start_on, budget) if start_on is not None else None
    JointTask.objects.bulk_create(
        JointTask(case=case, center_id=case.center_id, department=department,
                  budget_days=budget, due_on=due_on)
        for department in version.joint_departments.exclude(pk=case.department_id))


def schedule_joint_tasks(case: Case, *, start) -> None:
    """Due dates count from the day the case's clock starts."""
    for task in case.joint_tasks.filter(status=TaskStatus.OPEN, due_on__isnull=True):
        task.due_on = working_days_after(case, start, task.budget_days)
        task.save(update_fields=["due_on"])


def move_joint_dues_after_pause(case: Case, *, paused_from, resumed_on) -> None:
    """The co-departments' tasks are due later by the working days the clock stood still."""
    from .steps import due_after_pause

    start = case.clock_start or case.accepted_on or case.received_on
    for task in case.joint_tasks.filter(status=TaskStatus.OPEN, due_on__isnull=False):
        task.due_on = due_after_pause(case, task.due_on, started=start,
                                      paused_from=paused_from, resumed_on=resumed_on)
        task.save(update_fields=["due_on"])


_OPEN_TASKS = Compiled(lambda case_id: JointTask.objects.filter(
    case_id=case_id, status=TaskStatus.OPEN).order_by(
    "department__sort_order", "department__code").values_list("department__short_name"),
    case_id=int)


def open_joint_departments(case: Case) -> list[str]:
    return [name for (name,) in _OPEN_TASKS.all(case_id=case.pk)]


@audited_service("cases.joint_task_complete")
def case_joint_task_complete(*, case: Case, opinion: str, by, department_id: int | None = None
                             ) -> Case:
    """A co-department records its opinion and finishes its share of the joint case."""
    case = locked(case, allowed=JOINT_WORKING_STATUSES)
    department_id = department_id or getattr(by, "department_id", None)
    task = (case.joint_tasks.select_for_update().filter(department_id=department_id).first()
            if department_id else None)
    if task is None:
        raise NotFound(_("Your department has no task on case {number}.").format(
            number=case.number))
    require_perm(by, "cases.handle_joint_task", task)
    if task.status == TaskStatus.DONE:
        raise CaseStateError(_("{department} has already finished its task.").format(
            department=task.department.short_name))
    require_text(opinion, "opinion", _("Write the department's opinion."))
    today, before = businessday.today(), audit.snapshot(case)
    task.status, task.opinion, task.completed_on, task.completed_by = (
        TaskStatus.DONE, opinion.strip(), today, by)
    task.save()
    return save_transition(case, kind=EventKind.JOINT_TASK_DONE, by=by,
                           note=f"{task.department.short_name}:{opinion.strip()}",
                           action="cases.joint_task_completed", before=before, today=today)
