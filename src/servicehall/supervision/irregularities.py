"""Irregularities (违规) the supervision section reviews, found set-based and recorded once per
case and kind (`Finding`), so that rescans add nothing new and the assessment can score them.

State rules (a case's own data) run for one case on each transition and for every case in the
daily sweep; time rules (untouched, suspension overrun, no calendar) run with every scan over
the open cases only."""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Trim

from servicehall.cases.choices import (
    PAUSED_STATUSES,
    CaseStatus,
    Decision,
    EventKind,
    IrregularityKind,
    StepStatus,
)
from servicehall.cases.models import Case, CaseEvent, CasePause, CaseStep, Irregularity
from servicehall.core.compiled import Compiled
from servicehall.core.workcalendar import CalendarNotConfigured

from .choices import FindingKind
from .lights import Light, Thresholds, suspension_overrun, untouched, untouched_cutoff
from .models import CaseWatch, Finding
from .scanner import Classifier

# Events that show someone worked on an accepted case.
HANDLING_EVENTS = frozenset({
    EventKind.STEP_ASSIGNED, EventKind.STEP_TAKEN, EventKind.STEP_HANDED_OVER,
    EventKind.STEP_TAKEN_BACK, EventKind.STEP_COMPLETED, EventKind.COMMENTED,
    EventKind.SUSPENDED, EventKind.JOINT_TASK_DONE, EventKind.EXTENSION_REQUESTED,
    EventKind.DECIDED})

Hit = tuple[int, int, int, int | None]  # case id, center id, department id, staff id
RECORD_BATCH = 2000


def _record(kind: str, hits, *, today: date) -> int:
    """Findings for the hits that have none of this kind yet; returns how many were added."""
    added, batch = 0, []
    for hit in hits:
        batch.append(hit)
        if len(batch) == RECORD_BATCH:
            added += _record_batch(kind, batch, today=today)
            batch = []
    return added + (_record_batch(kind, batch, today=today) if batch else 0)


def _record_batch(kind: str, hits: list[Hit], *, today: date) -> int:
    known = set(Finding.objects.filter(kind=kind, case_id__in=[h[0] for h in hits])
                .values_list("case_id", flat=True))
    new = [Finding(case_id=case_id, center_id=center_id, department_id=department_id,
                   staff_id=staff_id, kind=kind, found_on=today)
           for case_id, center_id, department_id, staff_id in hits if case_id not in known]
    Finding.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _cases(case_ids) -> QuerySet:
    cases = Case.objects.all()
    return cases if case_ids is None else cases.filter(pk__in=case_ids)


def returned_without_reason(case_ids=None):
    """A return whose only reason is "other" with no explanation written."""
    return (_cases(case_ids).filter(status__in=[CaseStatus.RETURNED, CaseStatus.UNDER_APPEAL])
            .filter(Q(return_reasons=[]) | Q(return_reasons=["other"]))
            .annotate(note=Trim("return_note")).filter(note="")
            .values_list("pk", "center_id", "department_id", "created_by_id"))


def repeated_supplements(case_ids=None):
    rows = Irregularity.objects.filter(kind=IrregularityKind.REPEATED_SUPPLEMENT)
    if case_ids is not None:
        rows = rows.filter(case_id__in=case_ids)
    return rows.values_list("case_id", "case__center_id", "department_id", "by_id")


def suspended_without_reason(case_ids=None):
    pauses = CasePause.objects.filter(end__isnull=True).annotate(r=Trim("reason")).filter(r="")
    if case_ids is not None:
        pauses = pauses.filter(case_id__in=case_ids)
    return pauses.values_list("case_id", "case__center_id", "case__department_id",
                              "case__current_assignee_id")


def decided_without_document(case_ids=None):
    """Completed with no decision recorded, or a denial or conditions without written
    reasons: no decision document (办理决定书) can be issued."""
    return (_cases(case_ids).filter(status=CaseStatus.COMPLETED)
            .annotate(note=Trim("decision_note"))
            .filter(Q(decision="") | (~Q(decision=Decision.APPROVED) & Q(note="")))
            .values_list("pk", "center_id", "department_id", "current_assignee_id"))


def out_of_step_order(case_ids=None):
    """A step done while an earlier step of the item's process is still waiting or in hand."""
    earlier_open = CaseStep.objects.filter(
        case_id=OuterRef("case_id"), position__lt=OuterRef("position"),
        status__in=[StepStatus.WAITING, StepStatus.ACTIVE])
    steps = CaseStep.objects.filter(status=StepStatus.DONE).filter(Exists(earlier_open))
    if case_ids is not None:
        steps = steps.filter(case_id__in=case_ids)
    return steps.values_list("case_id", "case__center_id", "case__department_id",
                             "completed_by_id")


STATE_RULES = {
    FindingKind.RETURNED_WITHOUT_REASON: returned_without_reason,
    FindingKind.REPEATED_SUPPLEMENT: repeated_supplements,
    FindingKind.SUSPENDED_WITHOUT_REASON: suspended_without_reason,
    FindingKind.DECIDED_WITHOUT_DOCUMENT: decided_without_document,
    FindingKind.OUT_OF_STEP_ORDER: out_of_step_order,
}


# What a case's own status must be for a state rule to find anything on it.
RULE_STATUSES = {
    FindingKind.RETURNED_WITHOUT_REASON: {CaseStatus.RETURNED, CaseStatus.UNDER_APPEAL},
    # recorded by a supplement request after the first, which suspends the case
    FindingKind.REPEATED_SUPPLEMENT: {CaseStatus.SUSPENDED},
    FindingKind.SUSPENDED_WITHOUT_REASON: PAUSED_STATUSES,
    FindingKind.DECIDED_WITHOUT_DOCUMENT: {CaseStatus.COMPLETED},
    FindingKind.OUT_OF_STEP_ORDER: {CaseStatus.IN_PROGRESS, *PAUSED_STATUSES,
                                    CaseStatus.COMPLETED},
}


def detect_state(*, today: date, case_ids=None) -> dict[str, int]:
    """The state rules, for the given cases or (None) every case."""
    return {kind: _record(kind, rule(case_ids), today=today) for kind, rule in STATE_RULES.items()}


# The state rules of one case, run on every transition.
_ONE_CASE = {kind: Compiled(lambda case_id, rule=rule: rule([case_id]), case_id=int)
             for kind, rule in STATE_RULES.items()}


def detect_case_state(case: Case, *, today: date, fresh: bool = False) -> dict[str, int]:
    """The state rules for one case just saved, skipping those its status rules out. A case
    just taken in (`fresh`) has no step done out of order: intake only completes 受理."""
    kinds = [kind for kind in STATE_RULES if case.status in RULE_STATUSES[kind]
             and not (fresh and kind == FindingKind.OUT_OF_STEP_ORDER)]
    return {kind: _record(kind, _ONE_CASE[kind].all(case_id=case.pk), today=today)
            for kind in kinds}


def _suspension_overruns(classifier: Classifier):
    pauses = (CasePause.objects.filter(end__isnull=True, expected_working_days__isnull=False)
              .values_list("case_id", "case__center_id", "case__department_id",
                           "case__current_assignee_id", "start", "expected_working_days"))
    for case_id, center_id, department_id, staff_id, start, expected in pauses.iterator():
        cal = classifier.calendar(center_id)
        try:
            if cal and suspension_overrun(cal, start=start, expected_working_days=expected,
                                          today=classifier.today):
                yield case_id, center_id, department_id, staff_id
        except CalendarNotConfigured:  # the calendar rule reports it
            continue


def _untouched(classifier: Classifier):
    today = classifier.today
    handled = CaseEvent.objects.filter(case_id=OuterRef("pk"), kind__in=sorted(HANDLING_EVENTS))
    for center_id in (CaseWatch.objects.filter(light__in=[Light.GREEN, Light.YELLOW, Light.RED])
                      .values_list("center_id", flat=True).distinct().order_by()):
        cal = classifier.calendar(center_id)
        if cal is None or not cal.covers(today):
            continue
        smallest = min([classifier.rule(center_id, None).untouched_working_days,
                        *(t.untouched_working_days for (c, _i), t in
                          classifier.thresholds.items() if c == center_id)])
        cutoff = untouched_cutoff(cal, today, Thresholds(untouched_working_days=max(1, smallest)))
        rows = (Case.objects.filter(center_id=center_id, status=CaseStatus.IN_PROGRESS,
                                    accepted_on__lte=cutoff)
                .exclude(Exists(handled))
                .values_list("pk", "center_id", "department_id", "current_assignee_id",
                             "item_id", "accepted_on"))
        for case_id, _c, department_id, staff_id, item_id, accepted_on in rows.iterator():
            if untouched(cal, accepted_on=accepted_on, handled=False, today=today,
                         thresholds=classifier.rule(center_id, item_id)):
                yield case_id, center_id, department_id, staff_id


def _no_calendar():
    return (CaseWatch.objects.filter(light=Light.UNKNOWN.value)
            .values_list("case_id", "center_id", "department_id", "case__current_assignee_id"))


def detect_time(*, today: date) -> dict[str, int]:
    """The time rules over the open cases."""
    classifier = Classifier(today)
    return {
        FindingKind.SUSPENSION_OVERRUN: _record(FindingKind.SUSPENSION_OVERRUN,
                                                _suspension_overruns(classifier), today=today),
        FindingKind.UNTOUCHED: _record(FindingKind.UNTOUCHED, _untouched(classifier),
                                       today=today),
        FindingKind.CALENDAR_NOT_CONFIGURED: _record(FindingKind.CALENDAR_NOT_CONFIGURED,
                                                     _no_calendar(), today=today),
    }
