"""Two applicant accounts of the demo hall's online hall, with cases in several states: a
person (whose earlier window case is found by the ID number) and an enterprise with an
authorised agent. Created through the services, like a real registration; safe to re-run."""

from dataclasses import dataclass

from django.db import transaction

from servicehall.accounts.choices import ApplicantKind, Role
from servicehall.accounts.models import ApplicantProfile, User
from servicehall.accounts.services.applicants import agent_add, applicant_create
from servicehall.cases.choices import CaseStatus, StepStatus
from servicehall.cases.models import Case
from servicehall.cases.services import (
    Applicant,
    case_decide,
    case_intake,
    case_step_complete,
    case_step_take,
)
from servicehall.catalog.demo.loader import DEMO_PASSWORD
from servicehall.core.models import Center


@dataclass(frozen=True)
class DemoApplicant:
    mobile: str
    kind: str
    name: str
    id_number: str = ""
    credit_code: str = ""
    legal_representative: str = ""


PERSON = DemoApplicant("13800000001", ApplicantKind.PERSON, "周秀英",
                       id_number="440304198503127629")
ENTERPRISE = DemoApplicant("13800000002", ApplicantKind.ENTERPRISE, "深圳市鹏程餐饮管理有限公司",
                           credit_code="91350100M000100Y43", legal_representative="郑国强")
AGENT = ("何静", "440305199203154423", "13800000003")
ACCOUNTS = (PERSON, ENTERPRISE)


def _account(spec: DemoApplicant) -> User:
    """The account as a registration leaves it (the demo's numbers receive no SMS)."""
    return applicant_create(kind=spec.kind, name=spec.name, phone=spec.mobile,
                            password=DEMO_PASSWORD, id_number=spec.id_number,
                            credit_code=spec.credit_code,
                            legal_representative=spec.legal_representative)


def _handler(item) -> User | None:
    return (User.objects.filter(department=item.department, is_active=True,
                                role__in=[Role.REVIEWER, Role.CHIEF_REPRESENTATIVE])
            .order_by("role", "pk").first())


def _decide(case: Case, by: User | None) -> Case:
    assert by is not None, "the demo items were chosen for having a handler"
    case = case_step_take(case=case, by=by)
    while case.steps.filter(status=StepStatus.WAITING).exists():
        case = case_step_complete(case=case, opinion="材料齐全,符合法定条件,同意。", by=by)
    return case_decide(case=case, decision="approved", note="", by=by)


def _applicant(spec: DemoApplicant) -> Applicant:
    if spec.kind == ApplicantKind.PERSON:
        return Applicant(kind=spec.kind, name=spec.name, id_number=spec.id_number,
                         phone=spec.mobile)
    return Applicant(kind=spec.kind, name=spec.name, credit_code=spec.credit_code,
                     agent_name=AGENT[0], agent_id_number=AGENT[1], phone=AGENT[2])


def _file(item, spec: DemoApplicant, user: User | None, *, complete: bool = True) -> Case:
    materials = item.current_version.materials.all()
    received = {m.pk for m in materials if complete or m.is_key or not m.is_required}
    return case_intake(item=item, applicant=_applicant(spec), received=received, by=None,
                       account=user, channel="online" if user else "window")


def _items(center: Center) -> list:
    """Promised items of departments that have a handler, so that a case can be decided."""
    from servicehall.catalog.selectors import published_items

    items = [i for i in published_items(center=center).order_by("code")
             if (version := i.current_version) is not None
             and version.processing_type == "promised"
             and version.steps.exists() and _handler(i) is not None]
    return items[:3]


def load_portal_demo(center: Center, *, log=print) -> list[DemoApplicant]:
    """Create the demo applicants and their cases once; later runs leave them alone."""
    if ApplicantProfile.objects.filter(mobile__in=[a.mobile for a in ACCOUNTS]).exists():
        log("The online hall's demo applicants are already there.")
        return list(ACCOUNTS)
    items = _items(center)
    if len(items) < 2:
        log("No promised item with a handler in the demo hall: no online-hall demo cases.")
        return []
    with transaction.atomic():
        # A window case of the person from before the account: found by the ID number.
        earlier = _file(items[0], PERSON, None)
        _decide(earlier, _handler(items[0]))
        person, enterprise = _account(PERSON), _account(ENTERPRISE)
        agent_add(profile=enterprise.applicant_profile, name=AGENT[0], id_number=AGENT[1],
                  mobile=AGENT[2], by=enterprise)
        _file(items[1], PERSON, person)
        waiting = _file(items[-1], PERSON, person, complete=False)
        _file(items[1], ENTERPRISE, enterprise)
        decided = _file(items[0], ENTERPRISE, enterprise)
        _decide(decided, _handler(items[0]))
    cases = Case.objects.filter(applicant_account__in=[person, enterprise]).count() + 1
    state = " (one awaits materials)" if waiting.status == CaseStatus.AWAITING_MATERIALS else ""
    log(f"Online hall: 2 applicant accounts and {cases} of their cases{state}.")
    return list(ACCOUNTS)
