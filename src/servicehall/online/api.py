"""The applicant's online applications at /api/v1/my/applications (each sees only their own:
another's is a 404) and the pre-review at /api/v1/online/applications. Errors are
{code, message, fields} like everywhere in the API."""

from datetime import datetime

from django.conf import settings
from django.http import FileResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from servicehall.cases.choices import ApplicantKind, DeliveryMode
from servicehall.catalog.selectors import default_center, published_item
from servicehall.core.errors import NotFound, PermissionDenied
from servicehall.core.models import Center

from . import selectors, services
from .choices import ApplicationStatus
from .views import file_download

router = Router(tags=["my applications"])
staff_router = Router(tags=["online pre-review"])


class FileOut(Schema):
    id: int
    material_id: int
    name: str
    kind: str
    size: int
    uploaded_at: datetime


class NoticeLineOut(Schema):
    material_id: int
    name: str
    problem: str


class ApplicationOut(Schema):
    id: int
    reference: str
    item_code: str
    item_name: str
    department: str
    status: str
    status_label: str
    revision: int
    submitted_at: datetime | None
    updated_at: datetime
    case_number: str | None


class MaterialOut(Schema):
    id: int
    name: str
    required: bool
    files: list[FileOut]


class ApplicationDetail(ApplicationOut):
    kind: str
    name: str
    id_number_masked: str
    credit_code: str
    agent_name: str
    phone: str
    delivery_mode: str
    delivery_options: list[str]
    postal_address: str
    remarks: str
    materials: list[MaterialOut]
    supplement_notice: list[NoticeLineOut]
    supplement_note: str
    rejection_reason: str


class StartIn(Schema):
    item_code: str = Field(..., max_length=40)
    center_code: str = Field("", max_length=20)


class DraftIn(Schema):
    revision: int
    kind: ApplicantKind = ApplicantKind.PERSON
    name: str = Field("", max_length=100)
    id_number: str = Field("", max_length=20)
    credit_code: str = Field("", max_length=20)
    agent_name: str = Field("", max_length=50)
    agent_id_number: str = Field("", max_length=20)
    phone: str = Field("", max_length=20)
    delivery_mode: DeliveryMode = DeliveryMode.WINDOW
    postal_address: str = Field("", max_length=200)
    remarks: str = Field("", max_length=2000)


class RevisionIn(Schema):
    revision: int | None = None


class NoticeLineIn(Schema):
    material_id: int
    problem: str = Field("", max_length=300)


class SupplementIn(RevisionIn):
    materials: list[NoticeLineIn] = []
    note: str = Field("", max_length=1000)


class RejectIn(RevisionIn):
    reason: str = Field(..., max_length=1000)


def _out(a) -> dict:
    return {"id": a.pk, "reference": a.reference, "item_code": a.item.code,
            "item_name": a.item_version.name, "department": a.department.short_name,
            "status": a.status, "status_label": a.get_status_display(),
            "revision": a.revision, "submitted_at": a.submitted_at, "updated_at": a.updated_at,
            "case_number": a.case.number if a.case_id else None}


def _detail(a) -> dict:
    from .eligibility import delivery_options

    files: dict[int, list] = {}
    for f in a.files.all():
        files.setdefault(f.material_id, []).append(
            {"id": f.pk, "material_id": f.material_id, "name": f.original_name, "kind": f.kind,
             "size": f.size, "uploaded_at": f.uploaded_at})
    return {**_out(a), "kind": a.applicant_kind, "name": a.applicant_name,
            "id_number_masked": a.masked_id_number, "credit_code": a.credit_code,
            "agent_name": a.agent_name, "phone": a.phone, "delivery_mode": a.delivery_mode,
            "delivery_options": delivery_options(max_visits=a.item_version.max_visits,
                                                 delivery_modes=list(
                                                     a.item_version.delivery_modes)),
            "postal_address": a.postal_address, "remarks": a.remarks,
            "materials": [{"id": m.pk, "name": m.name, "required": m.is_required,
                           "files": files.get(m.pk, [])} for m in a.item_version.materials.all()],
            "supplement_notice": [{"material_id": line["material"], "name": line["name"],
                                   "problem": line["problem"]}
                                  for line in a.supplement_notice],
            "supplement_note": a.supplement_note, "rejection_reason": a.rejection_reason}


def _applicant(request) -> None:
    if not request.auth.has_perm("online.apply"):
        raise PermissionDenied()


def _mine(request, application_id: int):
    _applicant(request)
    return selectors.application_of(user=request.auth, pk=application_id)


@router.get("", response=list[ApplicationOut])
def list_mine(request, limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0)):
    _applicant(request)
    rows = selectors.applications_of(user=request.auth)
    return [_out(a) for a in rows[offset:offset + limit]]


@router.post("", response={201: ApplicationDetail})
def start(request, payload: StartIn):
    _applicant(request)
    center = (Center.objects.filter(code=payload.center_code, is_active=True).first()
              if payload.center_code else default_center())
    if center is None:
        raise NotFound()
    item = published_item(center=center, code=payload.item_code)
    application = services.application_start(item=item, by=request.auth)
    return Status(201, _detail(selectors.application_of(user=request.auth,
                                                        pk=application.pk)))


@router.get("/{application_id}", response=ApplicationDetail)
def detail(request, application_id: int):
    return _detail(_mine(request, application_id))


@router.put("/{application_id}", response=ApplicationDetail)
def save_draft(request, application_id: int, payload: DraftIn):
    application = _mine(request, application_id)
    data = services.ApplicationData(**payload.dict(exclude={"revision"}))
    services.application_save(application=application, data=data,
                              expected_revision=payload.revision, by=request.auth)
    return _detail(selectors.application_of(user=request.auth, pk=application_id))


@router.post("/{application_id}/files", response={201: FileOut})
def upload(request, application_id: int, material_id: Form[int], file: File[UploadedFile]):
    application = _mine(request, application_id)
    saved = services.application_file_add(
        application=application, material_id=material_id, name=file.name or "",
        content_type=file.content_type or "",
        data=file.read(settings.ONLINE_UPLOAD_MAX_BYTES + 1), by=request.auth)
    return Status(201, {"id": saved.pk, "material_id": saved.material_id,
                        "name": saved.original_name, "kind": saved.kind, "size": saved.size,
                        "uploaded_at": saved.uploaded_at})


@router.get("/{application_id}/files/{file_id}")
def download(request, application_id: int, file_id: int) -> FileResponse:
    _mine(request, application_id)
    return file_download(request, pk=application_id, file_pk=file_id)


@router.delete("/{application_id}/files/{file_id}", response={204: None})
def remove_file(request, application_id: int, file_id: int):
    application = _mine(request, application_id)
    services.application_file_remove(application=application, file_id=file_id,
                                     by=request.auth)
    return Status(204, None)


@router.post("/{application_id}/submit", response=ApplicationDetail)
def submit(request, application_id: int, payload: RevisionIn):
    application = _mine(request, application_id)
    services.application_submit(application=application,
                                expected_revision=payload.revision or application.revision,
                                by=request.auth)
    return _detail(selectors.application_of(user=request.auth, pk=application_id))


@router.post("/{application_id}/withdraw", response=ApplicationDetail)
def withdraw(request, application_id: int, payload: RevisionIn):
    application = _mine(request, application_id)
    services.application_withdraw(application=application,
                                  expected_revision=payload.revision or application.revision,
                                  by=request.auth)
    return _detail(selectors.application_of(user=request.auth, pk=application_id))


# --- pre-review -------------------------------------------------------------------------


def _staff(request) -> None:
    if not request.auth.has_perm("online.view_queue", request.auth.center):
        raise PermissionDenied()


@staff_router.get("", response=list[ApplicationOut])
def queue(request, status: ApplicationStatus = ApplicationStatus.SUBMITTED,
          limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0)):
    _staff(request)
    rows = selectors.review_queue(user=request.auth, status=status)
    return [_out(a) for a in rows[offset:offset + limit]]


def _for_review(request, application_id: int):
    _staff(request)
    return selectors.application_for_review(user=request.auth, pk=application_id)


@staff_router.get("/{application_id}", response=ApplicationDetail)
def review_detail(request, application_id: int):
    return _detail(_for_review(request, application_id))


@staff_router.post("/{application_id}/pre-accept", response=ApplicationDetail)
def pre_accept(request, application_id: int, payload: RevisionIn):
    services.application_pre_accept(application=_for_review(request, application_id),
                                    by=request.auth, expected_revision=payload.revision)
    return _detail(_for_review(request, application_id))


@staff_router.post("/{application_id}/supplement", response=ApplicationDetail)
def supplement(request, application_id: int, payload: SupplementIn):
    services.application_request_supplement(
        application=_for_review(request, application_id), by=request.auth,
        lines=[services.NoticeLine(material_id=m.material_id, problem=m.problem)
               for m in payload.materials],
        note=payload.note, expected_revision=payload.revision)
    return _detail(_for_review(request, application_id))


@staff_router.post("/{application_id}/reject", response=ApplicationDetail)
def reject(request, application_id: int, payload: RejectIn):
    services.application_reject(application=_for_review(request, application_id),
                                by=request.auth, reason=payload.reason,
                                expected_revision=payload.revision)
    return _detail(_for_review(request, application_id))
