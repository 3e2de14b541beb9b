"""What the applicant does: start an application, keep the draft, upload and remove files,
submit it for pre-review, withdraw it."""

import hashlib
import io
from dataclasses import dataclass, fields

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.cases.choices import ApplicantKind, DeliveryMode
from servicehall.cases.services.intake import Applicant, check_applicant
from servicehall.catalog.models import ServiceItem
from servicehall.core import audit, ratelimit
from servicehall.core.audited import audited_service
from servicehall.core.errors import NotFound, ValidationFailed
from servicehall.core.permissions import require_perm

from .. import filecheck, storage
from ..choices import EDITABLE, WITHDRAWABLE, ApplicationStatus
from ..eligibility import POST, accepts_online, delivery_options
from ..models import Application, ApplicationFile
from .common import MOBILE, RateLimited, locked, saved, snapshot

MAX_LENGTHS = {"name": 100, "id_number": 20, "credit_code": 20, "agent_name": 50,
               "agent_id_number": 20, "phone": 20, "postal_address": 200, "remarks": 2000}


@dataclass(frozen=True)
class ApplicationData:
    """The form of an application as the applicant fills it in."""

    kind: str = ApplicantKind.PERSON
    name: str = ""
    id_number: str = ""
    credit_code: str = ""
    agent_name: str = ""
    agent_id_number: str = ""
    phone: str = ""
    delivery_mode: str = DeliveryMode.WINDOW
    postal_address: str = ""
    remarks: str = ""

    @classmethod
    def of(cls, application: Application) -> "ApplicationData":
        a = application
        return cls(kind=a.applicant_kind, name=a.applicant_name, id_number=a.applicant_id_number,
                   credit_code=a.credit_code, agent_name=a.agent_name,
                   agent_id_number=a.agent_id_number, phone=a.phone,
                   delivery_mode=a.delivery_mode, postal_address=a.postal_address,
                   remarks=a.remarks)

    def stripped(self) -> "ApplicationData":
        return ApplicationData(**{f.name: str(getattr(self, f.name) or "").strip()
                                  for f in fields(self)})

    def applicant(self) -> Applicant:
        return Applicant(kind=self.kind, name=self.name, id_number=self.id_number,
                         credit_code=self.credit_code, agent_name=self.agent_name,
                         agent_id_number=self.agent_id_number, phone=self.phone)


def _owned(application: Application, by) -> None:
    """Someone else's application does not exist as far as `by` can tell."""
    if by is None or application.applicant_id != by.pk:
        raise NotFound()


def _draft_errors(data: ApplicationData, version) -> dict[str, list[str]]:
    """What a draft must already respect: known choices and sane lengths."""
    errors: dict[str, list[str]] = {}
    if data.kind not in ApplicantKind.values:
        errors["kind"] = [_("Choose person or enterprise.")]
    options = delivery_options(max_visits=version.max_visits,
                               delivery_modes=list(version.delivery_modes))
    if data.delivery_mode not in options:
        errors["delivery_mode"] = [_("This item does not offer that way of delivery.")]
    for name, limit in MAX_LENGTHS.items():
        if len(getattr(data, name)) > limit:
            errors[name] = [_("At most {limit} characters.").format(limit=limit)]
    return errors


@audited_service("online.start")
def application_start(*, item: ServiceItem, by) -> Application:
    """A new draft for `item`, filled in with what the account already knows."""
    require_perm(by, "online.apply", None)
    version = item.version
    if not item.is_active or not accepts_online(version.online_depth):
        raise ValidationFailed(_("“{item}” cannot be applied for online; please apply at the "
                                 "hall.").format(item=version.name), fields={"item": [
            _("This item does not accept online applications.")]})
    application = Application.objects.create(
        center=item.center, department=item.department, applicant=by, item=item,
        item_version=version, applicant_name=by.full_name, applicant_id_number=by.id_number,
        phone=by.phone)
    audit.record("online.started", obj=application, by=by, changes=audit.diff(
        {}, snapshot(application)))
    return application


@audited_service("online.save")
def application_save(*, application: Application, data: ApplicationData,
                     expected_revision: int, by) -> Application:
    """Keep the form as the applicant left it; complete or not, it is checked on submit."""
    _owned(application, by)
    application = locked(application, allowed=EDITABLE, expected_revision=expected_revision)
    data = data.stripped()
    errors = _draft_errors(data, application.item_version)
    if errors:
        raise ValidationFailed(fields=errors)
    before = snapshot(application)
    a = application
    a.applicant_kind, a.applicant_name = data.kind, data.name
    a.applicant_id_number, a.credit_code = data.id_number, data.credit_code.upper()
    a.agent_name, a.agent_id_number, a.phone = data.agent_name, data.agent_id_number, data.phone
    a.delivery_mode, a.postal_address, a.remarks = (data.delivery_mode, data.postal_address,
                                                    data.remarks)
    return saved(a, action="online.saved", by=by, before=before)


REFUSALS = {
    filecheck.EMPTY: lambda: _("The file is empty."),
    filecheck.TOO_LARGE: lambda: _("The file is larger than {size} MB.").format(
        size=settings.ONLINE_UPLOAD_MAX_BYTES // (1024 * 1024)),
    filecheck.UNKNOWN_CONTENT: lambda: _("Only PDF, JPG and PNG files are accepted; this file "
                                         "is none of them, whatever its name says."),
    filecheck.EXTENSION_MISMATCH: lambda: _("The file's name does not match its content; "
                                            "rename it to the right extension."),
    filecheck.TYPE_MISMATCH: lambda: _("The declared file type does not match the content."),
    filecheck.PDF_TRUNCATED: lambda: _("The PDF file is incomplete or damaged."),
    filecheck.PDF_ACTIVE_CONTENT: lambda: _("The PDF contains scripts or embedded programs; "
                                            "upload a plain scan or export."),
    "bad_image": lambda: _("The image is damaged or cannot be read."),
    "image_size": lambda: _("The image's dimensions are implausible (too small or too large)."),
}


def _image_size(data: bytes, kind: str) -> tuple[int, int]:
    """Width and height of a JPEG or PNG, read with Pillow without decoding the pixels;
    refuses damaged files and sizes that are no document scan."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            expected = {"jpeg": "JPEG", "png": "PNG"}[kind]
            if image.format != expected:
                raise filecheck.Refused("bad_image", kind)
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as broken:
        raise filecheck.Refused("bad_image", kind) from broken
    if min(width, height) < 50 or max(width, height) > 20000 or \
            width * height > settings.ONLINE_UPLOAD_MAX_PIXELS:
        raise filecheck.Refused("image_size", kind)
    return width, height


def check_file(*, name: str, content_type: str, data: bytes) -> tuple[str, int | None,
                                                                      int | None]:
    """(kind, width, height) of an acceptable upload; ValidationFailed on `file` otherwise."""
    try:
        verdict = filecheck.check(name=name, declared_type=content_type, size=len(data),
                                  data=data, max_bytes=settings.ONLINE_UPLOAD_MAX_BYTES)
        width = height = None
        if verdict.kind != filecheck.PDF:
            width, height = _image_size(data, verdict.kind)
    except filecheck.Refused as refused:
        raise ValidationFailed(REFUSALS[refused.code](), code=f"file_{refused.code}",
                               fields={"file": [REFUSALS[refused.code]()]}) from refused
    return verdict.kind, width, height


def _rate_checked(by) -> None:
    if not ratelimit.allow(f"online-upload:{by.pk}", limit=settings.ONLINE_UPLOADS_PER_WINDOW,
                           window_seconds=settings.ONLINE_UPLOAD_WINDOW_SECONDS):
        raise RateLimited(_("Too many uploads in a short time; wait a few minutes and try "
                            "again."))


def application_file_add(*, application: Application, material_id: int, name: str,
                         content_type: str, data: bytes, by) -> ApplicationFile:
    """Check the file by its content, write it to the private directory, and record it.
    Refused files leave nothing behind, on disk or in the database."""
    _owned(application, by)
    _rate_checked(by)
    try:
        kind, width, height = check_file(name=name, content_type=content_type, data=data)
    except ValidationFailed as refused:
        audit.record_failure("online.upload", by=by, obj=application,
                             message=f"{refused.code}: {name[:100]}")
        raise
    stored_name = storage.save(data)
    try:
        return _record_file(application=application, material_id=material_id, name=name,
                            kind=kind, width=width, height=height, data=data,
                            stored_name=stored_name, by=by)
    except BaseException:
        storage.delete(stored_name)
        raise


@audited_service("online.upload")
def _record_file(*, application, material_id, name, kind, width, height, data, stored_name,
                 by) -> ApplicationFile:
    application = locked(application, allowed=EDITABLE)
    material = application.item_version.materials.filter(pk=material_id).first()
    if material is None:
        raise ValidationFailed(fields={"material": [_("This item does not list that "
                                                      "material.")]})
    count = application.files.filter(material=material).count()
    if count >= settings.ONLINE_FILES_PER_MATERIAL:
        raise ValidationFailed(fields={"file": [_("At most {count} files per material.").format(
            count=settings.ONLINE_FILES_PER_MATERIAL)]})
    clean_name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or kind
    upload = ApplicationFile.objects.create(
        application=application, material=material, original_name=clean_name,
        stored_name=stored_name, kind=kind, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), width=width, height=height)
    before = snapshot(application)
    audit.record("online.file_added", obj=application, by=by, changes={
        "file": [None, {"material": material.name, "name": clean_name, "size": len(data),
                        "sha256": upload.sha256}]})
    saved(application, action="online.files_changed", by=by, before=before)
    return upload


@audited_service("online.remove_file")
def application_file_remove(*, application: Application, file_id: int, by) -> None:
    _owned(application, by)
    application = locked(application, allowed=EDITABLE)
    upload = application.files.filter(pk=file_id).first()
    if upload is None:
        raise NotFound()
    stored_name = upload.stored_name
    audit.record("online.file_removed", obj=application, by=by, changes={
        "file": [{"name": upload.original_name, "sha256": upload.sha256}, None]})
    upload.delete()
    before = snapshot(application)
    saved(application, action="online.files_changed", by=by, before=before)
    transaction.on_commit(lambda: storage.delete(stored_name))


def submit_errors(application: Application, data: ApplicationData) -> dict[str, list[str]]:
    """Everything that keeps the application from going to the department, all at once."""
    errors = _draft_errors(data, application.item_version)
    errors.update(check_applicant(data.applicant()).errors)
    if not MOBILE.match(data.phone):
        errors["phone"] = [_("Enter an 11-digit mobile number for the text messages.")]
    if data.delivery_mode == POST and not data.postal_address:
        errors["postal_address"] = [_("Enter the address the result is posted to.")]
    uploaded = set(application.files.values_list("material_id", flat=True))
    missing = [m.name for m in application.item_version.materials.all()
               if m.is_required and m.pk not in uploaded]
    if missing:
        errors["materials"] = [_("Upload the required materials: {names}.").format(
            names="、".join(missing))]
    return errors


@audited_service("online.submit")
def application_submit(*, application: Application, expected_revision: int,
                       by) -> Application:
    """Send the draft (or the corrected application) to the department's pre-review."""
    _owned(application, by)
    application = locked(application, allowed=EDITABLE, expected_revision=expected_revision)
    data = ApplicationData.of(application).stripped()
    errors = submit_errors(application, data)
    if errors:
        raise ValidationFailed(_("The application is not complete yet."), fields=errors)
    checked = check_applicant(data.applicant()).applicant
    before = snapshot(application)
    application.applicant_id_number = checked.id_number
    application.credit_code, application.agent_id_number = (checked.credit_code,
                                                            checked.agent_id_number)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    return saved(application, action="online.submitted", by=by, before=before)


@audited_service("online.withdraw")
def application_withdraw(*, application: Application, expected_revision: int,
                         by) -> Application:
    _owned(application, by)
    application = locked(application, allowed=WITHDRAWABLE,
                         expected_revision=expected_revision)
    before = snapshot(application)
    application.status = ApplicationStatus.WITHDRAWN
    return saved(application, action="online.withdrawn", by=by, before=before)
