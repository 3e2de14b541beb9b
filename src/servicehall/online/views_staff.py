"""The department's pre-review desk at /staff/online/: the queue of submitted applications of
the user's scope, one application with its files, and the three decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core.errors import DomainError, PermissionDenied

from . import selectors, services
from .choices import REVIEWABLE, STATUS_COLOURS, ApplicationStatus
from .forms import RejectForm, RevisionForm, SupplementForm

PAGE_SIZE = 30
TABS = [ApplicationStatus.SUBMITTED, ApplicationStatus.SUPPLEMENT_REQUESTED,
        ApplicationStatus.PRE_ACCEPTED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN]


def _staff_only(request) -> None:
    if not request.user.has_perm("online.view_queue", request.user.center):
        raise PermissionDenied()


@login_required
def queue(request):
    _staff_only(request)
    status = request.GET.get("status", ApplicationStatus.SUBMITTED)
    if status not in ApplicationStatus.values:
        status = ApplicationStatus.SUBMITTED
    page = Paginator(selectors.review_queue(user=request.user, status=status),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.queue_counts(user=request.user)
    tabs = [(s, ApplicationStatus(s).label, counts.get(s, 0)) for s in TABS]
    return render(request, "online/staff_queue.html", {
        "page": page, "status": status, "tabs": tabs, "colours": STATUS_COLOURS})


@login_required
def review_page(request, pk: int):
    _staff_only(request)
    application = selectors.application_for_review(user=request.user, pk=pk)
    materials = application.item_version.materials.all()
    may_review = (application.status in REVIEWABLE
                  and request.user.has_perm("online.pre_review", application))
    return render(request, "online/staff_review.html", {
        "application": application, "colours": STATUS_COLOURS, "may_review": may_review,
        "materials": selectors.materials_with_files(application),
        "supplement_form": SupplementForm(materials=materials,
                                          initial={"revision": application.revision}),
        "reject_form": RejectForm(initial={"revision": application.revision}),
        "accept_form": RevisionForm(initial={"revision": application.revision}),
        "may_supplement": not application.supplement_rounds})


def _decided(request, pk: int, act) -> object:
    _staff_only(request)
    application = selectors.application_for_review(user=request.user, pk=pk)
    try:
        message = act(application)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect("online_staff:review", pk=pk)


def _revision(form) -> int | None:
    return form.cleaned_data.get("revision") if form.is_valid() else None


@login_required
@require_POST
def pre_accept(request, pk: int):
    def act(application):
        application = services.application_pre_accept(
            application=application, by=request.user,
            expected_revision=_revision(RevisionForm(request.POST)))
        return _("Pre-accepted: case {number} was filed.").format(number=application.case.number)
    return _decided(request, pk, act)


@login_required
@require_POST
def request_supplement(request, pk: int):
    def act(application):
        form = SupplementForm(request.POST, materials=application.item_version.materials.all())
        if not form.is_valid():
            raise services.ApplicationStateError(_("Check the one-time notice form."))
        services.application_request_supplement(
            application=application, by=request.user, lines=form.lines(),
            note=form.cleaned_data["note"], expected_revision=_revision(form))
        return _("The one-time notice was sent to the applicant.")
    return _decided(request, pk, act)


@login_required
@require_POST
def reject(request, pk: int):
    def act(application):
        form = RejectForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.application_reject(application=application, by=request.user, reason=reason,
                                    expected_revision=_revision(form))
        return _("The application was not accepted; the applicant was told the reason.")
    return _decided(request, pk, act)
