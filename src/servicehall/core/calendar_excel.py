"""A year of the working calendar as an Excel sheet: 日期 | 类型(工作日/休息日) | 备注."""

from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from .errors import ValidationFailed
from .workcalendar import Day

WORKING_WORDS = {"工作日", "上班", "working", "1", "是"}
REST_WORDS = {"休息日", "休息", "rest", "0", "否"}


def _parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def parse_year(file, year: int) -> list[Day]:
    """Rows of (date, working/rest, note) below a header row; every bad cell is reported."""
    try:
        sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
    except Exception as unreadable:
        raise ValidationFailed(fields={"file": [_("This is not a readable .xlsx workbook.")]}
                               ) from unreadable
    days, errors = [], []
    for row_number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not row or all(cell in (None, "") for cell in row):
            continue
        day = _parse_date(row[0])
        kind = str(row[1] if len(row) > 1 and row[1] is not None else "").strip().lower()
        note = str(row[2] if len(row) > 2 and row[2] is not None else "").strip()
        if day is None:
            errors.append(_("Row {row}, column A: not a date.").format(row=row_number))
        elif day.year != year:
            errors.append(_("Row {row}, column A: {day} is not in {year}.").format(
                row=row_number, day=day, year=year))
        if kind not in WORKING_WORDS | REST_WORDS:
            errors.append(_("Row {row}, column B: write 工作日 or 休息日.").format(row=row_number))
        if day is not None and not errors:
            days.append(Day(day, kind in WORKING_WORDS, note[:60]))
    if errors:
        raise ValidationFailed(fields={"file": errors})
    return days


def year_workbook(days: list[Day]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "日历"
    sheet.append(["日期", "类型", "备注"])
    for day in days:
        sheet.append([day.date, "工作日" if day.is_working else "休息日", day.note])
    return workbook
