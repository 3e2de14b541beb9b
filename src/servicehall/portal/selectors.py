"""What an applicant sees of their own cases. Every read goes through `applicant_cases`, so a
case of someone else is simply not there (a 404, never a 403 that confirms it exists)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet

from servicehall.accounts.choices import ApplicantKind
from servicehall.accounts.models import ApplicantProfile
from servicehall.cases.choices import OPEN_STATUSES, CaseStatus, EventKind, PauseKind
from servicehall.cases.documents import NOTICE_TITLES, applicant_notice_kinds
from servicehall.cases.models import Case, CaseMaterial
from servicehall.cases.selectors import public_timeline
from servicehall.core.choices import MessageChannel
from servicehall.core.errors import NotFound
from servicehall.core.models import OutboxMessage


def profile_of(user) -> ApplicantProfile | None:
    if not user.is_authenticated:
        return None
    return ApplicantProfile.objects.filter(user_id=user.pk).first()


def _own_rows(user, profile: ApplicantProfile | None) -> Q:
    """Cases filed from this account, plus those filed at a window for the same person (the
    blind index of the ID number) or enterprise (the credit code) before the account existed —
    only where the case also gives the account's mobile number, which the SMS code proved at
    registration: an ID number or credit code alone is no proof of being that applicant."""
    rows = Q(applicant_account_id=user.pk)
    if profile is None or not profile.mobile:
        return rows
    if profile.kind == ApplicantKind.PERSON and profile.id_number_index:
        rows |= Q(applicant_kind=ApplicantKind.PERSON,
                  applicant_id_index=profile.id_number_index, phone=profile.mobile)
    elif profile.kind == ApplicantKind.ENTERPRISE and profile.credit_code:
        rows |= Q(applicant_kind=ApplicantKind.ENTERPRISE, credit_code=profile.credit_code,
                  phone=profile.mobile)
    return rows


def applicant_cases(*, user, profile: ApplicantProfile | None = None) -> QuerySet[Case]:
    """The applicant's cases, newest first. Nobody signed in has none."""
    if not user.is_authenticated:
        return Case.objects.none()
    profile = profile if profile is not None else profile_of(user)
    return (Case.objects.filter(_own_rows(user, profile))
            .select_related("item_version", "department")
            .order_by("-received_on", "-pk"))


def applicant_case(*, user, number: str) -> Case:
    case = (applicant_cases(user=user).filter(number=number)
            .select_related("center", "item").first())
    if case is None:
        raise NotFound()
    return case


def cases_summary(*, cases: QuerySet[Case]) -> dict[str, int]:
    """Counts for the home page in one query: open, waiting for me, completed, all."""
    waiting = Q(status=CaseStatus.AWAITING_MATERIALS) | Q(
        status=CaseStatus.SUSPENDED, pauses__end__isnull=True,
        pauses__kind=PauseKind.APPLICANT_CORRECTION)
    return cases.order_by().aggregate(
        total=Count("pk", distinct=True),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES), distinct=True),
        waiting=Count("pk", filter=waiting, distinct=True),
        completed=Count("pk", filter=Q(status=CaseStatus.COMPLETED), distinct=True))


@dataclass(frozen=True)
class Needed:
    name: str
    due_on: date | None
    notes: str


@dataclass(frozen=True)
class SupplementRequest:
    at: datetime
    note: str


@dataclass(frozen=True)
class Notice:
    at: datetime
    text: str


@dataclass(frozen=True)
class Document:
    kind: str
    title: str


def needed_from_applicant(case: Case) -> list[Needed]:
    """The required materials still missing while the case is open: at intake (补办件), after
    a later request, or accepted as missing (容缺) with a date to bring them by."""
    if case.status not in OPEN_STATUSES:
        return []
    rows = (CaseMaterial.objects.filter(case=case, received=False, material__is_required=True)
            .select_related("material").order_by("material__position"))
    return [Needed(row.material.name, row.due_on, row.material.notes) for row in rows]


def supplement_requests(case: Case) -> list[SupplementRequest]:
    return [SupplementRequest(e.at, e.note) for e in case.events.filter(
        kind=EventKind.SUPPLEMENT_REQUESTED).order_by("at", "pk").only("case", "at", "note")]


def notices(case: Case) -> list[Notice]:
    """The text messages the hall sent about the case, newest first."""
    rows = OutboxMessage.objects.filter(object_type=Case._meta.label_lower,
                                        object_id=str(case.pk), channel=MessageChannel.SMS)
    return [Notice(m.created_at, m.body) for m in rows.order_by("-created_at", "-pk")
            .only("created_at", "body")]


def documents(case: Case) -> list[Document]:
    return [Document(kind, NOTICE_TITLES[kind]) for kind in applicant_notice_kinds(case)]


def case_page(case: Case) -> dict:
    return {
        "case": case, "events": public_timeline(case),
        "steps": case.steps.order_by("position").only("case", "name", "status"),
        "needed": needed_from_applicant(case), "supplements": supplement_requests(case),
        "notices": notices(case), "documents": documents(case),
    }
