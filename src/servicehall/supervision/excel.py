"""The supervision board as an Excel workbook: one sheet per table of the page."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from . import selectors
from .choices import LightChoice


def _sheet(book: Workbook, title: str, header: list, rows) -> None:
    sheet = book.create_sheet(title)
    sheet.append([str(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width * 2))


def board_workbook(*, user) -> bytes:
    book = Workbook()
    book.remove(book.active)
    departments = selectors.department_lights(user=user)
    _sheet(book, _("Lights by department"),
           [_("Department"), *LightChoice.labels, _("Open cases")],
           ([d["department__name"], *(d[v] for v in LightChoice.values), d["total"]]
            for d in departments))
    _sheet(book, _("Cases needing attention"),
           [_("Case number"), _("Item"), _("Department"), _("Light"), _("Reason"),
            _("Promised deadline"), _("Handler"), _("Urgent")],
           ((w.case.number, w.case.item_version.name, w.department.name, w.get_light_display(),
             w.get_reason_display(), w.case.promised_due,
             str(w.case.current_assignee or ""), _("yes") if w.is_urgent else "")
            for w in selectors.live_cases(user=user, limit=10_000)))
    _sheet(book, _("Cards"),
           [_("Card"), _("Case number"), _("Department"), _("Staff member"), _("Reason"),
            _("Issued on"), _("Finish by"), _("Rectification letter"), _("Status")],
           ((c.get_level_display(), c.case.number, c.department.name, str(c.staff or ""),
             c.reason, c.issued_on, c.finish_by, c.letter_number, c.get_status_display())
            for c in selectors.recent_cards(user=user, limit=10_000)))
    _sheet(book, _("Irregularities to review"),
           [_("Irregularity"), _("Case number"), _("Department"), _("Staff member"),
            _("Found on")],
           ((f.get_kind_display(), f.case.number, f.department.name, str(f.staff or ""),
             f.found_on) for f in selectors.findings_to_review(user=user, limit=10_000)))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
