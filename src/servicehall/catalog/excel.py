"""The catalog as one Excel workbook: sheets 事项, 材料, 收费 and 流程 (docs/catalog-excel.md).

The export and the import share one layout (excel_layout.py), so an exported file can be
edited in Excel and imported back. The import checks the whole file first and reports every
wrong cell by sheet, row and column; it then writes all items in one transaction, or nothing.
"""

import io
from collections import defaultdict
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from servicehall.core.errors import DomainError, PermissionDenied
from servicehall.core.permissions import require_perm

from . import selectors, services
from .elements import FeeSpec, ItemElements, MaterialSpec, StepSpec, check_elements
from .excel_layout import FEES, ITEMS, MATERIALS, SHEETS, STEPS, CellProblem, Sheet
from .models import Department, ServiceItem, Theme

CHANGE_NOTE = "Excel导入"
# Item-level rules about the child sheets are shown on the item's row, in this column.
RULE_COLUMNS = {"materials": "code", "fees": "code", "steps": "promised_limit"}
CHILD_FIELDS = {MATERIALS: "materials", FEES: "fees", STEPS: "steps"}


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int  # 1-based; 0 when the error concerns the whole sheet or file
    column: str
    header: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return (_("{sheet}: {message}").format(sheet=self.sheet, message=self.message)
                    if self.sheet else self.message)
        return _("{sheet} row {row}, column {column} ({header}): {message}").format(
            sheet=self.sheet, row=self.row, column=self.column, header=self.header,
            message=self.message)


class CatalogImportError(Exception):
    def __init__(self, errors: list[CellError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ParsedItem:
    row: int  # the item's row on the 事项 sheet
    code: str
    department_code: str
    elements: ItemElements


def _cell_error(sheet: Sheet, row: int, field_or_index: str | int, message: str) -> CellError:
    index = (field_or_index if isinstance(field_or_index, int)
             else sheet.index_of(field_or_index))
    return CellError(sheet.title, row, get_column_letter(index + 1),
                     sheet.columns[index].header, str(message))


def _file_error(message: str, sheet: str = "") -> CellError:
    return CellError(sheet, 0, "", "", str(message))


# --- Export ---------------------------------------------------------------------------------

def catalog_workbook(items) -> Workbook:
    """The items' current versions in the import layout; no items gives an empty template."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = {sheet: sheet.add_to(workbook) for sheet in SHEETS}
    for item in items:
        elements = selectors.item_elements(item.current_version)
        head = {"code": item.code, "department_code": item.department.code}
        ITEMS.append(sheets[ITEMS], {**head, **elements.as_dict()})
        for sheet, specs in ((MATERIALS, elements.materials), (FEES, elements.fees),
                             (STEPS, elements.steps)):
            for position, spec in enumerate(specs, start=1):
                sheet.append(sheets[sheet], {**head, "position": position, **vars(spec)})
    return workbook


def export_catalog(*, user) -> bytes:
    """Every item `user` may see in their own center, at its current version, so the file
    imports back into that center."""
    items = selectors.items_for_staff(user=user).filter(current_version__isnull=False)
    if user.center_id is not None:
        items = items.filter(center_id=user.center_id)
    items = (items
             .prefetch_related(*(f"current_version__{name}"
                                 for name in selectors.VERSION_DETAIL)))
    buffer = io.BytesIO()
    catalog_workbook(items).save(buffer)
    return buffer.getvalue()


# --- Reading the file -----------------------------------------------------------------------

@dataclass
class _Row:
    number: int
    values: dict  # the cells that could be read, by field
    ok: bool


def _size(file) -> int:
    if getattr(file, "size", None) is not None:
        return file.size
    position = file.tell()
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(position)
    return size


def _open(file):
    """The workbook, or a CatalogImportError naming what is wrong with the file."""
    if isinstance(file, bytes):
        file = io.BytesIO(file)
    limit = settings.CATALOG_IMPORT_MAX_BYTES
    if _size(file) > limit:
        raise CatalogImportError([_file_error(
            _("The file is larger than {size} MB; split it into several files.").format(
                size=round(limit / 1024 / 1024, 1)))])
    try:
        file.seek(0)
        return load_workbook(file, read_only=True, data_only=True)
    except Exception:  # not a zip, not a workbook, a damaged one …
        raise CatalogImportError([_file_error(
            _("This is not a readable Excel workbook (.xlsx)."))]) from None


def _header(value) -> str:
    return str(value or "").strip().replace("（", "(").replace("）", ")")


def _structure_errors(workbook) -> list[CellError]:
    errors = []
    for sheet in SHEETS:
        if sheet.title not in workbook.sheetnames:
            errors.append(_file_error(_("The sheet “{sheet}” is missing.").format(
                sheet=sheet.title), sheet=sheet.title))
            continue
        found = next(workbook[sheet.title].iter_rows(max_row=1, values_only=True), ())
        if not any(_header(value) for value in found):
            errors.append(_file_error(_("The first row of the sheet “{sheet}” must hold the "
                                        "headers: {headers}.").format(
                sheet=sheet.title, headers="、".join(sheet.headers)), sheet=sheet.title))
            continue
        for index, expected in enumerate(sheet.headers):
            actual = _header(found[index]) if index < len(found) else ""
            if actual != expected:
                errors.append(_cell_error(sheet, 1, index, _(
                    "The header of this column must be “{expected}”, not “{actual}”.").format(
                    expected=expected, actual=actual)))
    return errors


def _read_rows(sheet: Sheet, worksheet, errors: list[CellError]) -> list[_Row]:
    rows, width = [], len(sheet.columns)
    for number, cells in enumerate(worksheet.iter_rows(min_row=2, values_only=True), start=2):
        cells = (list(cells) + [None] * width)[:width]
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        row = _Row(number, {}, ok=True)
        for index, (column, value) in enumerate(zip(sheet.columns, cells, strict=True)):
            try:
                row.values[column.field] = column.kind.read(value)
            except CellProblem as problem:
                errors.append(_cell_error(sheet, number, index, str(problem)))
                row.ok = False
        rows.append(row)
    return rows


def _read_workbook(file) -> tuple[dict[Sheet, list[_Row]], list[CellError]]:
    workbook = _open(file)
    try:
        errors = _structure_errors(workbook)
        if errors:
            raise CatalogImportError(errors)
        rows = {sheet: _read_rows(sheet, workbook[sheet.title], errors) for sheet in SHEETS}
    finally:
        workbook.close()
    return rows, errors


# --- From rows to items ---------------------------------------------------------------------

def _item_rows(rows: list[_Row], errors: list[CellError]) -> dict[str, _Row]:
    by_code: dict[str, _Row] = {}
    for row in rows:
        code = row.values.get("code")
        if code in by_code:
            errors.append(_cell_error(ITEMS, row.number, "code", _(
                "The implementation code {code} is already on row {row}.").format(
                code=code, row=by_code[code].number)))
        elif code is not None:
            by_code[code] = row
    return by_code


@dataclass
class _Children:
    """The rows of a materials, fees or steps sheet that name a known item."""

    rows: dict[str, list[_Row]]  # readable rows by item code, in 序号 order
    wrong: set[str]  # the codes of the items with a wrong row on this sheet


def _child_rows(sheet: Sheet, rows: list[_Row], codes, errors: list[CellError]) -> _Children:
    by_code: dict[str, list[_Row]] = defaultdict(list)
    wrong: set[str] = set()
    positions: dict[tuple, int] = {}
    for row in rows:
        code, position = row.values.get("code"), row.values.get("position")
        if code is None:
            continue
        if code not in codes:
            errors.append(_cell_error(sheet, row.number, "code", _(
                "No item with this implementation code on the sheet “{sheet}”.").format(
                sheet=ITEMS.title)))
            continue
        if position is not None and (code, position) in positions:
            errors.append(_cell_error(sheet, row.number, "position", _(
                "Number {n} is already used for this item on row {row}.").format(
                n=position, row=positions[code, position])))
            row.ok = False
        positions.setdefault((code, position), row.number)
        if row.ok and row.values.get("is_key") and not row.values.get("is_required"):
            errors.append(_cell_error(sheet, row.number, "is_required",
                                      _("A main material is always required.")))
            row.ok = False
        if row.ok:
            by_code[code].append(row)
        else:
            wrong.add(code)
    for code_rows in by_code.values():
        code_rows.sort(key=lambda r: (r.values["position"], r.number))
    return _Children(by_code, wrong)


def _specs(spec_class, rows: list[_Row]) -> list:
    return [spec_class(**{k: v for k, v in row.values.items() if k not in ("code", "position")})
            for row in rows]


def _item(code: str, row: _Row, children: dict[Sheet, _Children]) -> ParsedItem:
    values = {k: v for k, v in row.values.items() if k not in ("code", "department_code")}
    return ParsedItem(row.number, code, row.values["department_code"], ItemElements(
        **values, materials=_specs(MaterialSpec, children[MATERIALS].rows[code]),
        fees=_specs(FeeSpec, children[FEES].rows[code]),
        steps=_specs(StepSpec, children[STEPS].rows[code])))


def _field_errors(row: int, fields: dict[str, list[str]]) -> list[CellError]:
    """Messages by element field (check_elements, ValidationFailed) on the item's row."""
    known = {column.field for column in ITEMS.columns}
    errors = []
    for field, messages in fields.items():
        column = field if field in known else RULE_COLUMNS.get(field, "code")
        errors += [_cell_error(ITEMS, row, column, message) for message in messages]
    return errors


def _rule_errors(item: ParsedItem, skip: set[str]) -> list[CellError]:
    problems = {k: v for k, v in check_elements(item.elements).items() if k not in skip}
    if item.department_code in item.elements.joint_department_codes:
        problems.setdefault("joint_department_codes", []).append(
            _("The lead department cannot also be a co-department."))
    if len(item.elements.name) > 200:
        problems.setdefault("sub_item", []).append(
            _("The item's full name is longer than 200 characters."))
    return _field_errors(item.row, problems)


def _parse(file) -> tuple[list[ParsedItem], list[CellError]]:
    rows, errors = _read_workbook(file)
    item_rows = _item_rows(rows[ITEMS], errors)
    children = {sheet: _child_rows(sheet, rows[sheet], item_rows, errors)
                for sheet in CHILD_FIELDS}
    with_materials = {r.values.get("code") for r in rows[MATERIALS]}
    items = []
    for code, row in item_rows.items():
        if code not in with_materials:
            errors.append(_cell_error(ITEMS, row.number, "code",
                                      _("List at least one material on the sheet “{sheet}”.")
                                      .format(sheet=MATERIALS.title)))
        if not row.ok:
            continue
        item = _item(code, row, children)
        # "materials" is reported above; a child sheet with a wrong row is not judged again.
        skip = {"materials"} | {field for sheet, field in CHILD_FIELDS.items()
                                if code in children[sheet].wrong}
        errors += _rule_errors(item, skip)
        items.append(item)
    return items, errors


def _ordered(errors: list[CellError]) -> list[CellError]:
    sheet_order = {sheet.title: index for index, sheet in enumerate(SHEETS)}
    return sorted(errors, key=lambda e: (sheet_order.get(e.sheet, -1), e.row,
                                         len(e.column), e.column))


def parse_catalog(file) -> list[ParsedItem]:
    """The items of the workbook; CatalogImportError lists every wrong cell."""
    items, errors = _parse(file)
    if errors:
        raise CatalogImportError(_ordered(errors))
    return items


# --- Import ---------------------------------------------------------------------------------

def _center_errors(center, items: list[ParsedItem]):
    """What the file says against what the center has: departments, themes, existing items.
    Returns the errors and, per item, (parsed item, department, existing item or None)."""
    departments = {d.code: d for d in Department.objects.filter(center=center)}
    themes = set(Theme.objects.filter(center=center).values_list("name", flat=True))
    existing = {i.code: i for i in ServiceItem.objects.filter(
        center=center, code__in=[p.code for p in items]).select_related(
        "department", "current_version")}
    errors, plan = [], []
    for parsed in items:
        department, item = departments.get(parsed.department_code), existing.get(parsed.code)
        fields = _item_center_errors(parsed, department, item, departments, themes)
        errors += _field_errors(parsed.row, fields)
        plan.append((parsed, department, item))
    return errors, plan


def _item_center_errors(parsed: ParsedItem, department, item, departments, themes) -> dict:
    fields = defaultdict(list)
    if department is None:
        fields["department_code"].append(_("No department with this code in the center."))
    elif item is not None and item.department_id != department.pk:
        fields["department_code"].append(_(
            "This item belongs to {department} ({code}); the import cannot move an item to "
            "another department.").format(department=item.department,
                                          code=item.department.code))
    unknown = [name for name in parsed.elements.theme_names if name not in themes]
    if unknown:
        fields["theme_names"].append(_("Unknown themes: {names}.").format(
            names="、".join(unknown)))
    unknown = [c for c in parsed.elements.joint_department_codes if c not in departments]
    if unknown:
        fields["joint_department_codes"].append(_(
            "Unknown department codes: {codes}.").format(codes="、".join(unknown)))
    return fields


def _with_sample_files(elements: ItemElements, version) -> ItemElements:
    """The sheet carries no files: a material keeps its blank form while its name is kept."""
    files: dict[str, str] = {}
    for material in version.materials.all():
        files.setdefault(material.name, material.sample_file.name or "")
    return replace(elements, materials=[
        replace(m, sample_file=m.sample_file or files.get(m.name, ""))
        for m in elements.materials])


def _write(parsed: ParsedItem, department, item, by) -> str:
    if item is None:
        services.item_create(department=department, code=parsed.code,
                             elements=parsed.elements, by=by, change_note=CHANGE_NOTE)
        return "created"
    before = item.current_version_id
    elements = _with_sample_files(parsed.elements, item.current_version)
    item = services.item_update(item=item, elements=elements, by=by, change_note=CHANGE_NOTE)
    return "unchanged" if item.current_version_id == before else "updated"


def _refusal_errors(row: int, refused: DomainError) -> list[CellError]:
    if refused.fields:
        return _field_errors(row, refused.fields)
    column = "department_code" if isinstance(refused, PermissionDenied) else "code"
    return [_cell_error(ITEMS, row, column, refused.message)]


def import_catalog(*, center, file, by) -> ImportResult:
    """Create or update every item of the workbook, all or nothing. `by=None`: the system."""
    require_perm(by, "catalog.import_catalog", center)
    items, errors = _parse(file)
    center_errors, plan = _center_errors(center, items)
    errors += center_errors
    if errors:
        raise CatalogImportError(_ordered(errors))
    result = ImportResult()
    with transaction.atomic():
        for parsed, department, item in plan:
            try:
                outcome = _write(parsed, department, item, by)
            except DomainError as refused:
                errors += _refusal_errors(parsed.row, refused)
            else:
                setattr(result, outcome, getattr(result, outcome) + 1)
        if errors:  # raising inside the block rolls every write back
            raise CatalogImportError(_ordered(errors))
    return result
