"""The statistics over the API: the figures and every table of the dashboard for a period,
a department and an item — the same reads over the rollups as the dashboard."""

from typing import Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from servicehall.core.errors import NotFound, PermissionDenied, ValidationFailed

from . import reports, selectors
from .periods import Period
from .selectors import Scope

router = Router(tags=["statistics"])


class TableOut(Schema):
    title: str
    header: list[str]
    rows: list[list[Any]]


class StatisticsOut(Schema):
    title: str
    period_start: str
    period_end: str
    figures: dict[str, Any]
    tables: list[TableOut]


def _chosen(rows, pk: int | None):
    if pk is None:
        return None
    found = next((row for row in rows if row.pk == pk), None)
    if found is None:
        raise NotFound()  # unknown, or not among those the caller may see
    return found


@router.get("/figures", response=StatisticsOut,
            summary="A period's figures and the dashboard's tables")
def figures(request, kind: Literal["year", "quarter", "month"] = "year",
            year: int | None = Query(None, ge=2000, le=2100),
            n: int | None = Query(None, ge=1, le=12, description="quarter 1–4 or month 1–12"),
            department: int | None = None, item: int | None = None):
    """`kind=year&year=2026`, `kind=quarter&year=2026&n=3`, `kind=month&year=2026&n=9`;
    narrow with a department's and an item's id."""
    user, center = request.user, request.user.center
    if center is None or not user.has_perm("stats.view_statistics", center):
        raise PermissionDenied()
    if kind == "quarter" and n is not None and n > 4:
        raise ValidationFailed(fields={"n": [_("A quarter is 1 to 4.")]})
    departments, items = selectors.filter_choices(user=user, center=center)
    the_department = _chosen(departments, department)
    the_item = _chosen(items, item)
    today = timezone.localdate()
    period = Period.chosen(kind, year or today.year, n, today=today)
    stats = reports.statistics(
        user=user, scope=Scope(center, department, item), period=period,
        names={d.pk: d for d in departments})
    stats.department_name = str(the_department or "")
    stats.item_name = str(the_item or "")
    return {"title": stats.title, "period_start": f"{period.start:%Y-%m-%d}",
            "period_end": f"{period.end:%Y-%m-%d}",
            "figures": dict(reports.figure_lines(stats.figures)),
            "tables": [{"title": str(title), "header": [str(h) for h in header],
                        "rows": [[_plain(v) for v in row] for row in rows]}
                       for title, header, rows in reports.tables(stats)]}


def _plain(value):
    return value if isinstance(value, (int, float, type(None))) else str(value)
