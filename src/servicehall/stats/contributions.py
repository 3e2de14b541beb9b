"""What one case adds to the statistics, as plain Python: the rollup rows it counts in and
by how much. The rollups are the sum of every case's contribution; a transition moves a case
from its old contribution to its new one, so the incremental update and the full recount use
this one definition and cannot drift apart."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

# The counters of a daily rollup row, in the order of the table's columns.
COUNTERS = ("received", "accepted", "immediate", "supplement", "returned", "completed",
            "on_time", "early", "overdue", "pending_delta", "limit_cases", "promised_days",
            "legal_days", "used_days", "visits", "zero_visits", "one_visit_at_most")

# case status values, repeated here so that this module needs no Django import
RETURNED_STATUSES = frozenset({"returned", "under_appeal"})
WORKING = "working"


@dataclass(frozen=True)
class CaseFacts:
    """The fields of a case that the statistics read."""

    center_id: int
    department_id: int
    item_id: int
    staff_id: int  # the receiving staff member (created_by), 0 for none
    channel: str
    case_type: str
    status: str
    received_on: date
    accepted_on: date | None
    completed_on: date | None
    on_time: bool | None
    early: bool | None
    working_days_used: int
    visits: int
    promised_limit: int
    promised_unit: str
    legal_limit: int | None
    legal_unit: str
    window_id: int = 0  # the window whose ticket produced the case, 0 until one is linked


@dataclass(frozen=True, order=True)
class RollupKey:
    """day × center × department × item × window × staff × channel × case type. The window
    is 0 until a ticket links the case to the window that served it."""

    day: date
    center_id: int
    department_id: int
    item_id: int
    window_id: int
    staff_id: int
    channel: str
    case_type: str


Contribution = dict[RollupKey, Counter]


@dataclass(frozen=True, order=True)
class MonthKey:
    """month × center × department × item × channel × case type: what the dashboards and
    reports read (every report period is whole months)."""

    month: date  # the first day of the month
    center_id: int
    department_id: int
    item_id: int
    channel: str
    case_type: str


def by_month(rows: Contribution) -> dict[MonthKey, Counter]:
    """Daily rows folded into months, without the window and staff dimensions."""
    months: dict[MonthKey, Counter] = {}
    for key, counts in rows.items():
        month = MonthKey(key.day.replace(day=1), key.center_id, key.department_id, key.item_id,
                         key.channel, key.case_type)
        months.setdefault(month, Counter()).update(counts)
    return {key: Counter({n: v for n, v in counts.items() if v})
            for key, counts in months.items() if any(counts.values())}


def _key(facts: CaseFacts, day: date) -> RollupKey:
    return RollupKey(day, facts.center_id, facts.department_id, facts.item_id, facts.window_id,
                     facts.staff_id, facts.channel, facts.case_type)


def _limits_comparable(facts: CaseFacts) -> bool:
    """Promised, legal and used days compare only when both limits count working days."""
    return (facts.promised_unit == WORKING and facts.legal_limit is not None
            and facts.legal_unit == WORKING)


def contribution(facts: CaseFacts | None) -> Contribution:
    """The counts `facts` adds: received on the day it came in (returned too, as the return is
    the answer to that application), accepted and pending on the day it was accepted, completed
    and its times and visits (all of them, none, at most one) on the day it was completed
    (leaving pending): the visits of a case are known once it is done."""
    rows: Contribution = {}
    if facts is None:
        return rows

    def add(day: date, **counts: int) -> None:
        rows.setdefault(_key(facts, day), Counter()).update(counts)

    add(facts.received_on, received=1,
        returned=int(facts.accepted_on is None and facts.status in RETURNED_STATUSES))
    if facts.accepted_on is not None:
        add(facts.accepted_on, accepted=1, pending_delta=1,
            immediate=int(facts.case_type == "immediate"),
            supplement=int(facts.case_type == "supplement"))
    if facts.accepted_on is not None and facts.completed_on is not None:
        comparable = _limits_comparable(facts)
        add(facts.completed_on, completed=1, pending_delta=-1, on_time=int(bool(facts.on_time)),
            early=int(bool(facts.early)), overdue=int(facts.on_time is False),
            visits=facts.visits, zero_visits=int(facts.visits == 0),
            one_visit_at_most=int(facts.visits <= 1), limit_cases=int(comparable),
            promised_days=facts.promised_limit if comparable else 0,
            legal_days=(facts.legal_limit or 0) if comparable else 0,
            used_days=facts.working_days_used if comparable else 0)
    return rows


def delta(before: CaseFacts | None, after: CaseFacts | None) -> Contribution:
    """What to add to the rollups when a case goes from `before` to `after`: only the rows
    and counters that change, never a zero."""
    old, new = contribution(before), contribution(after)
    changes: Contribution = {}
    for key in old.keys() | new.keys():
        counts = Counter(new.get(key, Counter()))
        counts.subtract(old.get(key, Counter()))
        counts = Counter({name: n for name, n in counts.items() if n})
        if counts:
            changes[key] = counts
    return changes


def recount(all_facts) -> Contribution:
    """The rollups from scratch: every case's contribution summed."""
    total: Contribution = {}
    for facts in all_facts:
        for key, counts in contribution(facts).items():
            total.setdefault(key, Counter()).update(counts)
    return {key: Counter({n: v for n, v in counts.items() if v})
            for key, counts in total.items() if any(counts.values())}
