"""Reads of the supervision board, scoped to the user (`accounts.scoping.visible_rows`)."""

from django.db.models import Count, Q, QuerySet, Value
from django.db.models import When as W
from django.db.models.expressions import Case as CaseWhen

from servicehall.accounts.scoping import visible_rows
from servicehall.core.errors import NotFound

from .choices import CardLevel, CardStatus, FindingStatus, LightChoice
from .lights import Light
from .models import Card, CaseWatch, Finding

LIVE_LIGHTS = (Light.RED.value, Light.YELLOW.value, Light.UNKNOWN.value)


def department_lights(*, user) -> list[dict]:
    """Per department: how many open cases show each light (one query)."""
    counts = {light: Count("pk", filter=Q(light=light)) for light in LightChoice.values}
    rows = (CaseWatch.objects.filter(visible_rows(user))
            .values("department_id", "department__short_name", "department__name",
                    "department__sort_order", "department__code")
            .annotate(total=Count("pk"), **counts)
            .order_by("-red", "-yellow", "department__sort_order", "department__code"))
    return list(rows)


def light_totals(rows: list[dict]) -> dict[str, int]:
    return {key: sum(r[key] for r in rows) for key in (*LightChoice.values, "total")}


def live_cases(*, user, limit: int = 100) -> QuerySet[CaseWatch]:
    """Cases needing attention, most urgent first: red, then yellow, then without deadline;
    urgent cases (急办件) first within a colour; the longest overdue first."""
    rank = CaseWhen(W(light=Light.RED.value, then=Value(0)),
                    W(light=Light.YELLOW.value, then=Value(1)), default=Value(2))
    return (CaseWatch.objects.filter(visible_rows(user), light__in=LIVE_LIGHTS)
            .annotate(rank=rank)
            .select_related("case__item_version", "case__current_assignee",
                            "case__current_step", "department")
            .order_by("rank", "-is_urgent", "red_from", "warn_from", "step_late_from",
                      "case_id")[:limit])


def card_counts(*, user) -> dict[str, int]:
    cards = Card.objects.filter(visible_rows(user))
    return cards.aggregate(
        yellow_issued=Count("pk", filter=Q(level=CardLevel.YELLOW)),
        yellow_closed=Count("pk", filter=Q(level=CardLevel.YELLOW, status=CardStatus.CLOSED)),
        red_issued=Count("pk", filter=Q(level=CardLevel.RED)),
        red_closed=Count("pk", filter=Q(level=CardLevel.RED, status=CardStatus.CLOSED)))


def recent_cards(*, user, limit: int = 50) -> QuerySet[Card]:
    return (Card.objects.filter(visible_rows(user))
            .select_related("case", "department", "staff")
            .order_by(CaseWhen(W(status=CardStatus.CLOSED, then=Value(1)), default=Value(0)),
                      "-issued_on", "-pk")[:limit])


def findings_to_review(*, user, limit: int = 50) -> QuerySet[Finding]:
    return (Finding.objects.filter(visible_rows(user), status=FindingStatus.OPEN)
            .select_related("case", "department", "staff").order_by("-found_on", "-pk")[:limit])


def card_for(*, user, pk: int) -> Card:
    card = (Card.objects.filter(pk=pk)
            .select_related("case__item_version", "case__center", "department", "staff",
                            "responded_by", "closed_by").first())
    if card is None or not user.has_perm("supervision.view_card", card):
        raise NotFound()
    return card


def finding_for(*, user, pk: int) -> Finding:
    finding = Finding.objects.filter(visible_rows(user), pk=pk).first()
    if finding is None:
        raise NotFound()
    return finding
