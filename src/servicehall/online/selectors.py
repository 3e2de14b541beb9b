"""Reads: an applicant's own applications (someone else's are simply not found) and the
pre-review queue of a staff member's scope."""

from django.db.models import Count, Prefetch, QuerySet

from servicehall.accounts.scoping import visible_rows
from servicehall.catalog.models import Material
from servicehall.core.errors import NotFound

from .choices import ApplicationStatus
from .models import Application, ApplicationFile


def applications_of(*, user) -> QuerySet[Application]:
    """The applicant's own applications, latest first."""
    if not user.is_authenticated:
        return Application.objects.none()
    return (Application.objects.filter(applicant=user)
            .select_related("item", "item_version", "department", "case")
            .annotate(file_count=Count("files")).order_by("-updated_at", "-pk"))


def _with_files(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related("item", "item_version", "department", "center", "case",
                                   "applicant", "reviewed_by").prefetch_related(
        Prefetch("item_version__materials", queryset=Material.objects.order_by("position")),
        Prefetch("files", queryset=ApplicationFile.objects.order_by("material__position",
                                                                    "uploaded_at", "pk")))


def application_of(*, user, pk: int) -> Application:
    """One of the applicant's own applications with its materials and files."""
    application = _with_files(Application.objects.filter(applicant=user, pk=pk)).first()
    if application is None or not user.is_authenticated:
        raise NotFound()
    return application


def file_of(*, user, application_pk: int, file_pk: int) -> ApplicationFile:
    """A file of an application the user owns or may pre-review; NotFound otherwise."""
    upload = (ApplicationFile.objects.select_related("application")
              .filter(pk=file_pk, application_id=application_pk).first())
    if upload is None or not user.has_perm("online.view_file", upload.application):
        raise NotFound()
    owner = upload.application.applicant_id == user.pk
    if not owner and upload.application.status == ApplicationStatus.DRAFT:
        raise NotFound()  # staff see an application once it is submitted
    return upload


def review_queue(*, user, status: str = ApplicationStatus.SUBMITTED) -> QuerySet[Application]:
    """Applications of the user's scope in `status` (all but drafts when empty), the longest
    waiting first."""
    applications = Application.objects.filter(visible_rows(user)).exclude(
        status=ApplicationStatus.DRAFT)
    if status:
        applications = applications.filter(status=status)
    return (applications.select_related("item", "item_version", "department", "case")
            .annotate(file_count=Count("files")).order_by("submitted_at", "pk"))


def queue_counts(*, user) -> dict[str, int]:
    rows = (Application.objects.filter(visible_rows(user))
            .exclude(status=ApplicationStatus.DRAFT)
            .values_list("status").annotate(n=Count("pk")))
    return dict(rows)


def application_for_review(*, user, pk: int) -> Application:
    application = _with_files(Application.objects.filter(visible_rows(user), pk=pk)).exclude(
        status=ApplicationStatus.DRAFT).first()
    if application is None:
        raise NotFound()
    return application


def materials_with_files(application: Application) -> list[tuple[Material, list]]:
    """Each material of the item version with the files uploaded for it (prefetched)."""
    files: dict[int, list] = {}
    for upload in application.files.all():
        files.setdefault(upload.material_id, []).append(upload)
    return [(m, files.get(m.pk, [])) for m in application.item_version.materials.all()]
