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

from servicehall.catalog.selectors import published_item
from servicehall.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed

from . import selectors, services
from .choices import RETURN_REASONS, CaseStatus
from .forms import AppealDecisionForm, DecideForm, IntakeForm, SuspendForm, TextForm


@dataclass(frozen=True)
class Action:
    label: str | Promise
    permission: str
    states: frozenset
    form: type | None
    run: Callable


ACTIONS: dict[str, Action] = {
    "materials_complete": Action(
        gettext_lazy("Materials complete: start the clock"), "cases.receive_materials",
        frozenset({CaseStatus.AWAITING_MATERIALS}), None,
        lambda case, data, by: services.case_materials_complete(case=case, by=by)),
    "decide": Action(
        gettext_lazy("Decide"), "cases.handle_case", frozenset({CaseStatus.IN_PROGRESS}),
        DecideForm,
        lambda case, data, by: services.case_decide(
            case=case, decision=data["decision"], note=data["note"], by=by,
            expected_revision=data["expected_revision"])),
    "suspend": Action(
        gettext_lazy("Start a special procedure"), "cases.handle_case",
        frozenset({CaseStatus.IN_PROGRESS}), SuspendForm,
        lambda case, data, by: services.case_suspend(
            case=case, kind=data["kind"], reason=data["reason"], by=by,
            expected_working_days=data["expected_working_days"])),
    "resume": Action(
        gettext_lazy("Resume the clock"), "cases.handle_case", frozenset({CaseStatus.SUSPENDED}),
        None, lambda case, data, by: services.case_resume(case=case, by=by)),
    "report_up": Action(
        gettext_lazy("Report to a higher authority"), "cases.handle_case",
        frozenset({CaseStatus.IN_PROGRESS}), TextForm,
        lambda case, data, by: services.case_report_up(case=case, authority=data["text"],
                                                       by=by)),
    "report_answer": Action(
        gettext_lazy("Record the higher authority's answer"), "cases.handle_case",
        frozenset({CaseStatus.REPORTED_UP}), TextForm,
        lambda case, data, by: services.case_report_answered(case=case, answer=data["text"],
                                                             by=by)),
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
        gettext_lazy("Mark as urgent"), "cases.mark_urgent",
        frozenset({CaseStatus.AWAITING_MATERIALS, CaseStatus.IN_PROGRESS,
                   CaseStatus.SUSPENDED, CaseStatus.REPORTED_UP}), TextForm,
        lambda case, data, by: services.case_mark_urgent(case=case, reason=data["text"],
                                                         by=by)),
}


def _available_actions(case, user) -> list[dict]:
    available = []
    for name, action in ACTIONS.items():
        if case.status in action.states and user.has_perm(action.permission, case):
            form = None
            if action.form is DecideForm:
                form = DecideForm(initial={"expected_revision": case.revision},
                                  prefix=name)
            elif action.form is not None:
                form = action.form(prefix=name)
            available.append({"name": name, "label": action.label, "form": form})
    return available


@login_required
def queue(request):
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    cases = (selectors.cases_for_staff(user=request.user, query=query, status=status)
             if status or query else selectors.work_queue(user=request.user))
    page = Paginator(cases.select_related("item"), 30).get_page(request.GET.get("page"))
    return render(request, "cases/queue.html", {
        "page": page, "query": query, "status": status, "statuses": CaseStatus.choices,
        "today": timezone.localdate(),
        "can_intake": request.user.has_perm("cases.intake", request.user.center),
    })


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
            return_note=data["return_note"])
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
        form = chosen.form(request.POST, prefix=action)
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
