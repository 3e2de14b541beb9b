"""The guide desk's consultation log and the records of the extended, door-to-door,
Saturday-duty and staggered services."""

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.catalog.models import Department, ServiceItem, Window
from servicehall.core import audit
from servicehall.core.audited import audited_service
from servicehall.core.errors import ValidationFailed
from servicehall.core.models import Center
from servicehall.core.permissions import require_perm

from ..choices import ConsultationChannel, ServiceKind
from ..models import Consultation, ServiceRecord


def _same_center(center: Center, **objects) -> None:
    foreign = [name for name, obj in objects.items()
               if obj is not None and obj.center_id != center.pk]
    if foreign:
        raise ValidationFailed(fields={name: [_("Choose one of this hall.")] for name in foreign})


@audited_service("frontdesk.consultation_log")
def consultation_log(*, center: Center, channel: str, topic: str, by,
                     item: ServiceItem | None = None, department: Department | None = None,
                     guided_to: Window | None = None, at: datetime | None = None) -> Consultation:
    """Log a question; the member of staff logging it is its first responder (首问负责)."""
    require_perm(by, "frontdesk.issue_ticket", center)
    errors: dict[str, list[str]] = {}
    if channel not in ConsultationChannel.values:
        errors["channel"] = [_("Choose on site, by phone or online.")]
    if not topic.strip():
        errors["topic"] = [_("Write down the question.")]
    if errors:
        raise ValidationFailed(fields=errors)
    _same_center(center, item=item, department=department, guided_to=guided_to)
    consultation = Consultation.objects.create(
        center=center, channel=channel, topic=topic.strip(), item=item,
        department=department or (item.department if item else None), guided_to=guided_to,
        first_responder=by, at=at or timezone.now())
    audit.record("frontdesk.consultation_logged", obj=consultation, by=by,
                 changes={"channel": [None, channel]})
    return consultation


@audited_service("frontdesk.service_record_add")
def service_record_add(*, center: Center, kind: str, department: Department, day: date,
                       start: time, end: time, staff: str, by, window: Window | None = None,
                       applicant: str = "", address: str = "", cases_handled: int = 0,
                       note: str = "") -> ServiceRecord:
    require_perm(by, "frontdesk.issue_ticket", center)
    errors: dict[str, list[str]] = {}
    if kind not in ServiceKind.values:
        errors["kind"] = [_("Choose the kind of service.")]
    if end <= start:
        errors["end"] = [_("The end comes after the start.")]
    if kind == ServiceKind.DOOR_TO_DOOR and not address.strip():
        errors["address"] = [_("A door-to-door visit has an address.")]
    if kind == ServiceKind.SATURDAY_DUTY and day.weekday() != 5:
        errors["day"] = [_("{day} is not a Saturday.").format(day=day.isoformat())]
    if not staff.strip():
        errors["staff"] = [_("Name the staff who served.")]
    if errors:
        raise ValidationFailed(fields=errors)
    _same_center(center, department=department, window=window)
    record = ServiceRecord.objects.create(
        center=center, kind=kind, department=department, window=window, staff=staff.strip(),
        day=day, start=start, end=end, applicant=applicant.strip(), address=address.strip(),
        cases_handled=cases_handled, note=note.strip(),
        recorded_by=by if by is not None and by.is_authenticated else None)
    audit.record("frontdesk.service_recorded", obj=record, by=by,
                 changes=audit.diff({}, audit.snapshot(record)))
    return record
