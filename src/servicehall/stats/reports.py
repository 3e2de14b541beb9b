"""What a dashboard or a report shows for one scope and period, in one object, and its
renderings: the Excel workbook (every table a sheet) and the PDF report."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from . import selectors
from .figures import Figures, OnlineFigures, annual_paragraph, fmt
from .periods import Period
from .selectors import Scope

DOCUMENT_LANGUAGE = "zh-hans"
WEEKDAY_NAMES = {1: "周一", 2: "周二", 3: "周三", 4: "周四", 5: "周五", 6: "周六", 7: "周日"}


@dataclass
class Statistics:
    scope: Scope
    period: Period
    figures: Figures
    trend: list
    departments: list
    heat: selectors.HeatMap
    anomalies: list
    staff: list
    online: OnlineFigures | None = None
    department_name: str = ""
    item_name: str = ""

    @property
    def top10(self) -> list:
        return self.departments[:10]

    @property
    def paragraph(self) -> str:
        """The opening paragraph in the words of the annual reports (seed 000)."""
        return annual_paragraph(self.period.label, self.figures)

    @property
    def title(self) -> str:
        whose = self.item_name or self.department_name or "大厅"
        return f"{self.period.label}{whose}业务统计报告"


def statistics(*, user, scope: Scope, period: Period, names: dict | None = None) -> Statistics:
    """Everything a dashboard or report shows: nine aggregate queries over the rollups and the
    items (plus the departments' names unless `names` has them)."""
    kwargs = {"user": user, "scope": scope, "period": period}
    return Statistics(scope=scope, period=period, figures=selectors.period_figures(**kwargs),
                      trend=selectors.monthly_trend(**kwargs),
                      departments=selectors.by_department(**kwargs, names=names),
                      heat=selectors.heat_map(**kwargs),
                      anomalies=selectors.department_anomalies(**kwargs, names=names),
                      staff=selectors.by_staff(**kwargs),
                      online=selectors.online_hall(**kwargs))


def figure_lines(f: Figures) -> list[tuple[str, str]]:
    """The figures as (label, value) lines, for the tables and the workbook."""
    return [
        (_("Applications received"), fmt(f.received)),
        (_("Cases accepted"), fmt(f.accepted)),
        (_("Working days"), fmt(f.working_days)),
        (_("Accepted per working day"), fmt(f.daily_average)),
        (_("Year-on-year growth (%)"), fmt(f.yoy_growth)),
        (_("Growth on the period before (%)"), fmt(f.mom_growth)),
        (_("Cases completed"), fmt(f.completed)),
        (_("On-time rate (%)"), fmt(f.on_time_rate)),
        (_("Completed early"), fmt(f.early)),
        (_("Early rate (%)"), fmt(f.early_rate)),
        (_("Completed late"), fmt(f.overdue)),
        (_("Immediate cases"), fmt(f.immediate)),
        (_("Immediate share (%)"), fmt(f.immediate_share)),
        (_("Pending at the end of the period"), fmt(f.pending)),
        (_("Supplement rate (%)"), fmt(f.supplement_rate)),
        (_("Return rate (%)"), fmt(f.return_rate)),
        (_("Average legal limit (working days)"), fmt(f.average_legal_days)),
        (_("Average promised limit (working days)"), fmt(f.average_promised_days)),
        (_("Average working days used"), fmt(f.average_used_days)),
        (_("Faster than promised (%)"), fmt(f.speed_up)),
        (_("Promised limit shorter than legal (%)"), fmt(f.compression)),
        (_("Visits per case"), fmt(f.visits_per_case)),
    ]


def online_lines(o: OnlineFigures) -> list[tuple[str, str, str]]:
    """The online hall's figures as (label, value, basis) lines, in seed 002's terms."""
    return [
        (_("Fully online items (%)"), fmt(o.full_online_rate),
         _("{part} of {whole} items").format(part=o.items_fully_online, whole=o.items)),
        (_("Online application rate (%)"), fmt(o.online_rate),
         _("{part} of {whole} applications").format(part=o.received_online, whole=o.received)),
        (_("Online completion rate (%)"), fmt(o.online_completion_rate),
         _("{part} completed of {whole} online applications").format(
             part=o.completed_online, whole=o.received_online)),
        (_("Online applications with at most one visit (%)"), fmt(o.one_visit_at_most_share),
         _("{part} of {whole} completed").format(part=o.completed_online_one_visit_at_most,
                                                 whole=o.completed_online)),
        (_("Online applications with no visit (%)"), fmt(o.zero_visit_share),
         _("{part} of {whole} completed").format(part=o.completed_online_zero_visits,
                                                 whole=o.completed_online)),
        (_("All cases with at most one visit (%)"), fmt(o.all_one_visit_at_most_share), ""),
        (_("All cases with no visit (%)"), fmt(o.all_zero_visit_share), ""),
    ]


def kpis(f: Figures) -> list[tuple[str, str]]:
    """The headline figures of the dashboard's cards."""
    return [(_("Cases accepted"), fmt(f.accepted)),
            (_("Accepted per working day"), fmt(f.daily_average)),
            (_("Year-on-year growth (%)"), fmt(f.yoy_growth)),
            (_("On-time rate (%)"), fmt(f.on_time_rate)),
            (_("Early rate (%)"), fmt(f.early_rate)),
            (_("Immediate share (%)"), fmt(f.immediate_share)),
            (_("Pending at the end of the period"), fmt(f.pending))]


def tables(stats: Statistics) -> list[tuple[str, list[str], list[list]]]:
    """Every table of the dashboard: (title, header, rows)."""
    f = stats.figures
    return [
        (_("Figures"), [_("Figure"), _("Value")], [list(line) for line in figure_lines(f)]),
        (_("Monthly trend"), [_("Month"), _("Received"), _("Accepted"), _("Completed"),
                              _("On time"), _("Early")],
         [[r["month"], r["received"], r["accepted"], r["completed"], r["on_time"], r["early"]]
          for r in stats.trend]),
        (_("Departments"), [_("Department"), _("Accepted"), _("Share (%)"), _("Completed"),
                            _("On-time rate (%)"), _("Early rate (%)")],
         [[str(d.department), d.accepted, fmt(d.share), d.completed, fmt(d.on_time_rate),
           fmt(d.early_rate)] for d in stats.departments]),
        (_("By channel"), [_("Channel"), _("Accepted")],
         [[str(channel_label(c)), n] for c, n in sorted(f.by_channel.items())]),
        (_("Received by weekday and hour"),
         [_("Weekday"), *[f"{h}:00" for h in stats.heat.hours]],
         [[WEEKDAY_NAMES[w], *counts] for w, counts in stats.heat.rows()]),
        (_("Volume anomalies"), [_("Department"), _("Month"), _("Accepted"),
                                 _("Trailing mean"), _("Change (%)")],
         [[str(a.department), a.month, a.volume, fmt(a.trailing_mean), fmt(a.change)]
          for a in stats.anomalies]),
        (_("Online hall"), [_("Figure"), _("Value"), _("Basis")],
         [list(line) for line in online_lines(stats.online)] if stats.online else []),
        (_("Received per staff member"), [_("Staff member"), _("Received"), _("Share (%)"),
                             _("Accepted"), _("Immediate"), _("Returned")],
         [[s.staff, s.received, fmt(s.share), s.accepted, s.immediate, s.returned]
          for s in stats.staff]),
    ]


def channel_label(value: str):
    from servicehall.cases.choices import IntakeChannel

    return IntakeChannel(value).label if value in IntakeChannel.values else value


def workbook(stats: Statistics) -> bytes:
    """Every table as a sheet of one workbook."""
    import io

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in tables(stats):
        sheet = book.create_sheet(title[:31])
        sheet.append([stats.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.column_dimensions["A"].width = 36
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_pdf(stats: Statistics, *, center_name: str) -> bytes:
    """The report as an A4 PDF in Chinese (an official document, whatever the page's language),
    with the WenQuanYi font embedded."""
    from weasyprint import HTML  # imported on use: loading Pango takes a moment

    with translation.override(DOCUMENT_LANGUAGE):
        html = render_to_string("stats/report_document.html", {
            "stats": stats, "center_name": center_name, "tables": tables(stats)})
    return HTML(string=html).write_pdf()
