"""What an accepted case gets, whichever way it was accepted (at intake, after a return review,
after an appeal): its copy of the item's steps and its co-departments' tasks, and, once its
clock runs, the first step in the department's pool."""

from servicehall.catalog.choices import ProcessingType

from ..choices import CaseType
from ..models import Case
from .joint import create_joint_tasks, schedule_joint_tasks
from .steps import activate_next_step, create_steps

TYPE_OF_ACCEPTED_ITEM = {"immediate": CaseType.IMMEDIATE, "promised": CaseType.PROMISED,
                         "joint": CaseType.JOINT, "reported": CaseType.REPORTED}


def create_handling_rows(case: Case, *, by, start_on=None) -> None:
    """Steps for every accepted case; co-department tasks for a joint item, also when it was
    taken in pending supplement. With `start_on` the clock starts at once: the rows are
    written as `start_handling` would leave them."""
    create_steps(case, by=by, start_on=start_on)
    if case.item_version.processing_type == ProcessingType.JOINT:
        create_joint_tasks(case, start_on=start_on)


def start_handling(case: Case, *, today) -> None:
    """The clock runs: the first open step goes to the department's pool and the
    co-departments' tasks get their due dates."""
    if case.current_step_id is None:
        activate_next_step(case, today=today)
    schedule_joint_tasks(case, start=today)
