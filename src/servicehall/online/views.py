"""The applicant's pages under /my/: start an application, keep the draft, upload, submit,
withdraw, read the pre-review result and download the acceptance receipt."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from servicehall.cases.documents import notice_kind, notice_pdf
from servicehall.catalog.models import ServiceItem
from servicehall.catalog.selectors import default_center, published_item
from servicehall.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from servicehall.core.models import Center

from . import selectors, services, storage
from .choices import EDITABLE, FILE_CONTENT_TYPES, STATUS_COLOURS, WITHDRAWABLE
from .eligibility import accepts_online, delivery_options
from .forms import ApplicationForm, RevisionForm, UploadForm
from .models import Application

PAGE_SIZE = 20


def _applicant_only(request) -> None:
    if not request.user.has_perm("online.apply"):
        raise PermissionDenied(_("Online applications are made with an applicant account."))


def _options(application: Application) -> list[str]:
    version = application.item_version
    return delivery_options(max_visits=version.max_visits,
                            delivery_modes=list(version.delivery_modes))


@login_required
def my_applications(request):
    _applicant_only(request)
    page = Paginator(selectors.applications_of(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "online/my_list.html", {"page": page, "colours": STATUS_COLOURS,
                                                   "center": default_center()})


def _item_for(request, code: str) -> ServiceItem:
    center_code = request.GET.get("center", "")
    center = (Center.objects.filter(code=center_code, is_active=True).first() if center_code
              else default_center())
    if center is None:
        raise NotFound()
    return published_item(center=center, code=code)


@login_required
@require_http_methods(["GET", "POST"])
def apply_start(request, code: str):
    """The item's conditions and materials, and the button that opens a draft."""
    _applicant_only(request)
    item = _item_for(request, code)
    if request.method == "POST":
        application = services.application_start(item=item, by=request.user)
        messages.success(request, _("A draft was opened; it is kept until you submit it."))
        return redirect("online:application", pk=application.pk)
    version = item.version
    drafts = selectors.applications_of(user=request.user).filter(
        item=item, status__in=EDITABLE)
    return render(request, "online/apply_start.html", {
        "center": item.center, "item": item, "version": version,
        "materials": version.materials.all(),
        "online": accepts_online(version.online_depth), "drafts": drafts,
        "options": delivery_options(max_visits=version.max_visits,
                                    delivery_modes=list(version.delivery_modes))})


def _attach(form, error: ValidationFailed) -> None:
    for field, errors in error.fields.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


@login_required
@require_http_methods(["GET", "POST"])
def application_page(request, pk: int):
    """Edit and submit while editable; otherwise the status, the notice and the result."""
    _applicant_only(request)
    application = selectors.application_of(user=request.user, pk=pk)
    editable = application.status in EDITABLE
    form = ApplicationForm(request.POST if request.method == "POST" else None,
                           initial=ApplicationForm.initial_of(application),
                           delivery_options=_options(application))
    status = 200
    if request.method == "POST":
        if not editable:
            raise NotFound()
        result = _save_and_maybe_submit(request, application, form)
        if result is not None:
            return result
        status = 400
    return render(request, "online/application.html", {
        "center": application.item.center, "application": application, "form": form,
        "editable": editable,
        "materials": selectors.materials_with_files(application),
        "upload_form": UploadForm(), "colours": STATUS_COLOURS,
        "withdrawable": application.status in WITHDRAWABLE,
        "submit_problems": request.session.pop(f"online-problems-{pk}", None)}, status=status)


def _save_and_maybe_submit(request, application, form):
    if not form.is_valid():
        return None
    try:
        application = services.application_save(
            application=application, data=form.data_object(),
            expected_revision=form.cleaned_data["revision"], by=request.user)
    except ValidationFailed as error:
        _attach(form, error)
        return None
    except DomainError as error:  # changed elsewhere meanwhile: show the current state
        messages.error(request, error.message)
        return redirect("online:application", pk=application.pk)
    if request.POST.get("action") != "submit":
        messages.success(request, _("The draft was saved."))
        return redirect("online:application", pk=application.pk)
    try:
        services.application_submit(application=application,
                                    expected_revision=application.revision, by=request.user)
    except ValidationFailed as error:  # the draft is kept; say everything that is missing
        request.session[f"online-problems-{application.pk}"] = [
            m for messages_ in error.fields.values() for m in messages_]
        messages.error(request, _("The draft was saved, but it cannot be submitted yet."))
        return redirect("online:application", pk=application.pk)
    messages.success(request, _("The application was submitted to the department for "
                                "pre-review. You will get a text message with the result."))
    return redirect("online:application", pk=application.pk)


@login_required
@require_POST
def file_upload(request, pk: int):
    _applicant_only(request)
    application = selectors.application_of(user=request.user, pk=pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect("online:application", pk=pk)
    upload = form.cleaned_data["file"]
    try:
        services.application_file_add(
            application=application, material_id=form.cleaned_data["material"],
            name=upload.name, content_type=upload.content_type or "",
            data=upload.read(settings.ONLINE_UPLOAD_MAX_BYTES + 1),
            by=request.user)
    except DomainError as error:
        messages.error(request, _("“{name}” was not accepted: {reason}").format(
            name=upload.name, reason=error.message))
    else:
        messages.success(request, _("“{name}” was uploaded.").format(name=upload.name))
    return redirect(f"{application_url(pk)}#materials")


def application_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("online:application", kwargs={"pk": pk})


@login_required
@require_POST
def file_remove(request, pk: int, file_pk: int):
    _applicant_only(request)
    application = selectors.application_of(user=request.user, pk=pk)
    services.application_file_remove(application=application, file_id=file_pk,
                                     by=request.user)
    messages.success(request, _("The file was removed."))
    return redirect(f"{application_url(pk)}#materials")


@login_required
def file_download(request, pk: int, file_pk: int):
    """The file, to its owner or to staff who may pre-review it; 404 to anyone else."""
    upload = selectors.file_of(user=request.user, application_pk=pk, file_pk=file_pk)
    try:
        handle = storage.path_of(upload.stored_name).open("rb")
    except FileNotFoundError as missing:
        raise NotFound() from missing
    response = FileResponse(handle, content_type=FILE_CONTENT_TYPES[upload.kind],
                            as_attachment=request.GET.get("inline") != "1",
                            filename=upload.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def application_withdraw(request, pk: int):
    _applicant_only(request)
    application = selectors.application_of(user=request.user, pk=pk)
    form = RevisionForm(request.POST)
    revision = form.cleaned_data.get("revision") if form.is_valid() else None
    services.application_withdraw(application=application,
                                  expected_revision=revision or application.revision,
                                  by=request.user)
    messages.success(request, _("The application was withdrawn."))
    return redirect("online:application", pk=pk)


@login_required
def receipt(request, pk: int):
    """The acceptance receipt (or whichever notice states where the case stands now) of the
    case filed from the applicant's own application."""
    _applicant_only(request)
    application = selectors.application_of(user=request.user, pk=pk)
    case = application.case
    if case is None:
        raise NotFound()
    kind = notice_kind(case)
    pdf = notice_pdf(case, kind=kind,
                     progress_url=request.build_absolute_uri(f"/progress/{case.number}/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}-{kind}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
