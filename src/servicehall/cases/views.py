from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from servicehall.accounts.choices import DEPARTMENT_ROLES, Role
from servicehall.catalog.selectors import published_item
from servicehall.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed

from . import selectors, services
from .choices import (
    OPEN_STATUSES,
    RETURN_REASONS,
    CaseStatus,
    ExtensionStatus,
    PauseKind,
    StepStatus,
    TaskStatus,
)
from .forms import (
    AppealDecisionForm,
    ApprovalForm,
    ColleagueForm,
    DecideForm,
    DeliverForm,
    ExtensionForm,
    IntakeForm,
    MaterialsForm,
    OpinionForm,
    QueueFilterForm,
    ReviewForm,
    SuspendForm,
    TextForm,
    ToleratedMaterialsForm,
    VerifyForm,
)
from .models import CaseStep


@dataclass(frozen=True)
class Situation:
    """What the case page needs to know to offer an action, read once per page."""

    active_step: CaseStep | None
    last_step_open: bool
    waiting_for_correction: bool
    extension_pending: bool
    own_joint_task_open: bool
    tolerated_missing: bool


def _situation(case, user) -> Situation:
    steps = list(case.steps.order_by("position"))
    active = next((s for s in steps if s.status == StepStatus.ACTIVE), None)
    return Situation(
        active_step=active,
        last_step_open=bool(steps) and active is steps[-1],
        waiting_for_correction=case.pauses.filter(
            end__isnull=True, kind=PauseKind.APPLICANT_CORRECTION).exists(),
        extension_pending=case.extensions.filter(status=ExtensionStatus.PENDING).exists(),
        own_joint_task_open=bool(user.department_id) and case.joint_tasks.filter(
            department_id=user.department_id, status=TaskStatus.OPEN).exists(),
        tolerated_missing=case.materials.filter(received=False, due_on__isnull=False).exists(),
    )


def _always(case, situation, user) -> bool:
    return True


def _holds_or_may_take(case, situation, user) -> bool:
    step = situation.active_step
    return step is not None and (step.assignee_id in (None, user.pk)
                                 or user.role == Role.CHIEF_REPRESENTATIVE or user.is_superuser)


@dataclass(frozen=True)
class Action:
    label: str | Promise
    permission: str
    states: frozenset
    form: type | None
    run: Callable
    available: Callable = _always


IN_PROGRESS = frozenset({CaseStatus.IN_PROGRESS})
WORKING = frozenset({CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED, CaseStatus.REPORTED_UP})
ACTIONS: dict[str, Action] = {
    "step_take": Action(
        gettext_lazy("Take this step"), "cases.handle_case", IN_PROGRESS, None,
        lambda case, data, by: services.case_step_take(case=case, by=by),
        lambda case, situation, user: bool(situation.active_step)
        and situation.active_step.assignee_id is None),
    "step_complete": Action(
        gettext_lazy("Complete this step"), "cases.handle_case", IN_PROGRESS, OpinionForm,
        lambda case, data, by: services.case_step_complete(
            case=case, opinion=data["opinion"], by=by,
            expected_revision=data["expected_revision"]),
        lambda case, situation, user: _holds_or_may_take(case, situation, user)
        and not situation.last_step_open),
    "step_hand_over": Action(
        gettext_lazy("Hand over to a colleague"), "cases.handle_case", IN_PROGRESS,
        ColleagueForm,
        lambda case, data, by: services.case_step_hand_over(
            case=case, to_user_id=data["user"], note=data["note"], by=by),
        _holds_or_may_take),
    "step_take_back": Action(
        gettext_lazy("Take the step back"), "cases.handle_case", IN_PROGRESS, None,
        lambda case, data, by: services.case_step_take_back(case=case, by=by),
        lambda case, situation, user: bool(situation.active_step)
        and situation.active_step.handed_over_by_id == user.pk),
    "materials_complete": Action(
        gettext_lazy("Materials complete: start the clock"), "cases.receive_materials",
        frozenset({CaseStatus.AWAITING_MATERIALS, CaseStatus.SUSPENDED}), None,
        lambda case, data, by: services.case_materials_complete(case=case, by=by),
        lambda case, situation, user: case.status == CaseStatus.AWAITING_MATERIALS
        or situation.waiting_for_correction),
    "tolerated_received": Action(
        gettext_lazy("Materials accepted as missing came in"), "cases.receive_materials",
        WORKING, ToleratedMaterialsForm,
        lambda case, data, by: services.case_tolerated_materials_received(
            case=case, material_ids=set(data["materials"]), by=by),
        lambda case, situation, user: situation.tolerated_missing),
    "decide": Action(
        gettext_lazy("Decide"), "cases.handle_case", IN_PROGRESS, DecideForm,
        lambda case, data, by: services.case_decide(
            case=case, decision=data["decision"], note=data["note"],
            certificate_number=data["certificate_number"],
            delivery_mode=data["delivery_mode"], by=by,
            expected_revision=data["expected_revision"]),
        lambda case, situation, user: situation.active_step is None
        or situation.last_step_open or case.case_type == "immediate"
        or case.acceptance_mode == "notify_commit"),
    "request_supplement": Action(
        gettext_lazy("Ask for missing materials (pauses the clock)"), "cases.handle_case",
        IN_PROGRESS, MaterialsForm,
        lambda case, data, by: services.case_request_supplement(
            case=case, material_ids=set(data["materials"]), note=data["note"], by=by)),
    "return_review": Action(
        gettext_lazy("Review the return"), "cases.handle_case",
        frozenset({CaseStatus.RETURN_REVIEW}), ReviewForm,
        lambda case, data, by: services.case_return_review(
            case=case, confirm=data["confirm"], note=data["note"], by=by)),
    "joint_task": Action(
        gettext_lazy("Finish our department's task"), "cases.view_case", WORKING, OpinionForm,
        lambda case, data, by: services.case_joint_task_complete(
            case=case, opinion=data["opinion"], by=by),
        lambda case, situation, user: situation.own_joint_task_open),
    "suspend": Action(
        gettext_lazy("Start a special procedure"), "cases.handle_case", IN_PROGRESS,
        SuspendForm,
        lambda case, data, by: services.case_suspend(
            case=case, kind=data["kind"], reason=data["reason"], by=by,
            expected_working_days=data["expected_working_days"])),
    "resume": Action(
        gettext_lazy("Resume the clock"), "cases.handle_case", frozenset({CaseStatus.SUSPENDED}),
        None, lambda case, data, by: services.case_resume(case=case, by=by),
        lambda case, situation, user: not situation.waiting_for_correction),
    "report_up": Action(
        gettext_lazy("Report to a higher authority"), "cases.handle_case", IN_PROGRESS,
        TextForm,
        lambda case, data, by: services.case_report_up(case=case, authority=data["text"],
                                                       by=by)),
    "report_answer": Action(
        gettext_lazy("Record the higher authority's answer"), "cases.handle_case",
        frozenset({CaseStatus.REPORTED_UP}), TextForm,
        lambda case, data, by: services.case_report_answered(case=case, answer=data["text"],
                                                             by=by)),
    "extension_request": Action(
        gettext_lazy("Ask the center for an extension"), "cases.handle_case", WORKING,
        ExtensionForm,
        lambda case, data, by: services.case_extension_request(
            case=case, working_days=data["working_days"], reason=data["reason"], by=by),
        lambda case, situation, user: not situation.extension_pending),
    "extension_decide": Action(
        gettext_lazy("Decide the extension"), "cases.approve_extension", WORKING, ApprovalForm,
        lambda case, data, by: services.case_extension_decide(
            case=case, approve=data["approve"], note=data["note"], by=by),
        lambda case, situation, user: situation.extension_pending),
    "deliver": Action(
        gettext_lazy("Hand over the result"), "cases.receive_materials",
        frozenset({CaseStatus.COMPLETED}), DeliverForm,
        lambda case, data, by: services.case_deliver(
            case=case, mode=data["mode"], tracking_number=data["tracking_number"], by=by),
        lambda case, situation, user: case.delivered_on is None),
    "verify": Action(
        gettext_lazy("Record the post-approval verification"), "cases.handle_case",
        frozenset({CaseStatus.COMPLETED}), VerifyForm,
        lambda case, data, by: services.case_verify(
            case=case, passed=data["passed"], note=data["note"], by=by),
        lambda case, situation, user: case.acceptance_mode == "notify_commit"
        and case.decision != "denied" and not case.verification_result),
    "appeal": Action(
        gettext_lazy("Register an appeal"), "cases.appeal", frozenset({CaseStatus.RETURNED}),
        TextForm, lambda case, data, by: services.case_appeal(case=case, reason=data["text"],
                                                              by=by)),
    "appeal_decide": Action(
        gettext_lazy("Decide the appeal"), "cases.decide_appeal",
        frozenset({CaseStatus.UNDER_APPEAL}), AppealDecisionForm,
        lambda case, data, by: services.case_appeal_decide(
            case=case, result=data["result"], note=data["note"], by=by)),
    "urgent": Action(
        gettext_lazy("Mark as urgent"), "cases.mark_urgent", OPEN_STATUSES, TextForm,
        lambda case, data, by: services.case_mark_urgent(case=case, reason=data["text"],
                                                         by=by),
        lambda case, situation, user: not case.is_urgent),
    "comment": Action(
        gettext_lazy("Comment"), "cases.view_case", frozenset(CaseStatus), TextForm,
        lambda case, data, by: services.case_comment(case=case, text=data["text"], by=by)),
}


def _available_actions(case, user) -> list[dict]:
    situation = _situation(case, user)
    available = []
    for name, action in ACTIONS.items():
        if (case.status in action.states and user.has_perm(action.permission, case)
                and action.available(case, situation, user)):
            form = None
            if action.form is not None:
                form = action.form(prefix=name, case=case,
                                   initial={"expected_revision": case.revision})
            available.append({"name": name, "label": action.label, "form": form})
    return available


@login_required
def queue(request):
    """My desk, the department's pool, all open cases, or a search by number, applicant,
    item, status and the day received."""
    search = QueueFilterForm(request.GET or None)
    data = search.cleaned_data if search.is_valid() else {}
    tab = request.GET.get("queue", "")
    tab = tab if tab in selectors.Queue.values else ""
    searching = any(data.get(k) for k in ("q", "item", "status", "received_from",
                                          "received_to"))
    cases = selectors.cases_for_staff(
        user=request.user, query=data.get("q", ""), status=data.get("status", ""),
        item=data.get("item", ""), received_from=data.get("received_from"),
        received_to=data.get("received_to"), queue="" if searching else tab)
    if not searching:
        cases = cases.filter(status__in=OPEN_STATUSES)
    page = Paginator(cases.select_related("item", "current_step", "current_assignee"),
                     30).get_page(request.GET.get("page"))
    return render(request, "cases/queue.html", {
        "page": page, "search": search, "tab": "search" if searching else tab,
        "tabs": [("mine", _("My desk")), ("department", _("Department pool")),
                 ("", _("All open cases"))] if request.user.role in DEPARTMENT_ROLES
        else [("", _("All open cases"))],
        "today": timezone.localdate(),
        "can_intake": request.user.has_perm("cases.intake", request.user.center),
    }, status=400 if search.errors else 200)


def _intake_item(request):
    code = request.GET.get("item") or request.POST.get("item") or ""
    if not code or request.user.center is None:
        return None
    try:
        return published_item(center=request.user.center, code=code)
    except NotFound as missing:
        raise Http404(missing.message) from missing


def _applicant_from(data) -> services.Applicant:
    return services.Applicant(kind=data["applicant_kind"], name=data["name"],
                              id_number=data["id_number"], credit_code=data["credit_code"],
                              agent_name=data["agent_name"],
                              agent_id_number=data["agent_id_number"], phone=data["phone"])


def _take_in(request, item, form):
    data = form.cleaned_data
    try:
        case = services.case_intake(
            item=item, applicant=_applicant_from(data), received=set(data["received"]),
            by=request.user, outcome=data["outcome"] or None,
            override_reason=data["override_reason"], return_reasons=data["return_reasons"],
            return_note=data["return_note"], acceptance_mode=data["acceptance_mode"],
            commitment_signed=data["commitment_signed"])
    except ValidationFailed as invalid:
        for field, field_messages in invalid.fields.items():
            for message in field_messages:
                form.add_error(field if field in form.fields else None, message)
        return None
    except PermissionDenied as refused:
        form.add_error(None, refused.message)
        return None
    messages.success(request, _("Case {number} registered.").format(number=case.number))
    return redirect("cases:case", number=case.number)


@login_required
@require_http_methods(["GET", "POST"])
def intake(request):
    item = _intake_item(request)
    query = request.GET.get("q", "").strip()
    materials = list(item.version.materials.all()) if item else []
    form = IntakeForm(request.POST or None, materials=materials)
    if request.method == "POST" and item is not None and form.is_valid():
        response = _take_in(request, item, form)
        if response is not None:
            return response
    return render(request, "cases/intake.html", {
        "item": item, "materials": materials, "form": form, "query": query,
        "found": selectors.intake_items(user=request.user, query=query) if not item else [],
    }, status=400 if form.errors else 200)


@login_required
def case_page(request, number: str):
    case = selectors.case_for_staff(user=request.user, number=number)
    today = timezone.localdate()
    return render(request, "cases/case.html", {
        "case": case, "clock": selectors.case_clock(case=case, today=today), "today": today,
        "steps": case.steps.select_related("assignee", "completed_by").order_by("position"),
        "joint_tasks": case.joint_tasks.select_related("department", "completed_by"),
        "extensions": case.extensions.select_related("requested_by", "decided_by"),
        "materials": case.materials.select_related("material").order_by("material__position"),
        "pauses": case.pauses.order_by("start"),
        "events": case.events.select_related("by").order_by("at", "pk"),
        "return_reasons": [RETURN_REASONS.get(r, r) for r in case.return_reasons],
        "actions": _available_actions(case, request.user),
    })


@login_required
@require_POST
def case_act(request, number: str, action: str):
    case = selectors.case_for_staff(user=request.user, number=number)
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404()
    data = {}
    if chosen.form is not None:
        form = chosen.form(request.POST, prefix=action, case=case)
        if not form.is_valid():
            messages.error(request, _("Please complete the form: {errors}").format(
                errors="; ".join(str(e) for errors in form.errors.values() for e in errors)))
            return redirect("cases:case", number=number)
        data = form.cleaned_data
    try:
        chosen.run(case, data, request.user)
    except DomainError as refused:
        details = "; ".join(m for ms in refused.fields.values() for m in ms)
        messages.error(request, f"{refused.message} {details}".strip())
    else:
        messages.success(request, _("{action}: done.").format(action=chosen.label))
    return redirect("cases:case", number=number)
