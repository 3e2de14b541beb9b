"""The layout of the catalog workbook (see docs/catalog-excel.md): for every sheet, its
Chinese headers, the element each column carries, and how a cell is read and written.

Parsing never depends on translations: the Chinese words of every choice are spelled out here.
The stored values ("new", "license" …) are accepted too."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

VARIANTS = {"新办": "new", "变更": "change", "延续": "renew", "注销": "cancel", "其他": "other"}
KINDS = {"行政许可": "license", "非行政许可审批": "non_license", "公共服务": "public_service",
         "其他": "other"}
PROCESSING_TYPES = {"即办件": "immediate", "承诺件": "promised", "联办件": "joint",
                    "上报件": "reported"}
LIMIT_UNITS = {"工作日": "working", "自然日": "natural"}
MATERIAL_FORMS = {"原件": "original", "复印件": "copy", "原件及复印件": "original_and_copy"}
MATERIAL_MEDIA = {"纸质": "paper", "电子": "electronic", "纸质或电子": "both"}
MATERIAL_SOURCES = {"申请人自备": "applicant", "政府部门核发": "government",
                    "中介机构出具": "intermediary"}
DELIVERY_MODES = {"窗口领取": "window", "邮寄": "post", "电子送达": "online"}
YES_NO = {"是": True, "否": False}

LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")
LIST_JOINER = "、"
WIDE = {"主项名称", "子项名称", "设定依据", "申请条件", "材料名称", "收费标准", "收费依据", "备注"}


class CellProblem(Exception):
    """A cell's value cannot be read; the message says what to write instead."""


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class Text:
    def __init__(self, max_length: int | None = None, *, required: bool = False):
        self.max_length, self.required = max_length, required

    def read(self, value) -> str:
        text = _as_text(value)
        if self.required and not text:
            raise CellProblem(_("This field is required."))
        if self.max_length and len(text) > self.max_length:
            raise CellProblem(_("At most {n} characters (this one has {length}).").format(
                n=self.max_length, length=len(text)))
        return text

    def write(self, value):
        return ILLEGAL_CHARACTERS_RE.sub("", value) if value else None


REQUIRED = object()  # a blank cell is an error


def _read_blank(blank):
    """What a blank cell (or 无 where blank means none) stands for; REQUIRED: an error."""
    if blank is REQUIRED:
        raise CellProblem(_("This field is required."))
    return blank


class WholeNumber:
    """A whole number from `minimum` to `maximum`; a blank cell means `blank`."""

    def __init__(self, minimum: int, maximum: int, *, blank=REQUIRED):
        self.minimum, self.maximum, self.blank = minimum, maximum, blank

    def read(self, value) -> int | None:
        if _blank(value) or (self.blank is None and _as_text(value) == "无"):
            return _read_blank(self.blank)
        number = self._number(value)
        if not self.minimum <= number <= self.maximum:
            raise CellProblem(_("Enter a whole number from {minimum} to {maximum}.").format(
                minimum=self.minimum, maximum=self.maximum))
        return number

    @staticmethod
    def _number(value) -> int:
        if isinstance(value, bool):
            raise CellProblem(_("Enter a whole number."))
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            return int(value)
        raise CellProblem(_("Enter a whole number."))

    def write(self, value):
        return value


class Amount:
    """A decimal number ≥ 0 with at most `places` decimals and `max_digits` digits in all;
    a blank cell means `blank`."""

    def __init__(self, places: int, max_digits: int, *, blank=REQUIRED):
        self.places, self.max_digits, self.blank = places, max_digits, blank

    def read(self, value) -> Decimal | None:
        if _blank(value):
            return _read_blank(self.blank)
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise CellProblem(_("Enter a number.")) from None
        if not number.is_finite() or number < 0:
            raise CellProblem(_("Enter a number of 0 or more."))
        if number != number.quantize(Decimal(1).scaleb(-self.places)):
            raise CellProblem(_("Use at most {places} decimal places.").format(
                places=self.places))
        if number >= Decimal(10) ** (self.max_digits - self.places):
            raise CellProblem(_("The number is too large."))
        return number

    def write(self, value):
        return value


class Choice:
    """One word of `words` (Chinese word → stored value); blank means `default`."""

    def __init__(self, words: dict, *, default=None):
        self.words, self.default = words, default

    def lookup(self, text: str):
        if text in self.words:
            return self.words[text]
        stored = {str(v).lower(): v for v in self.words.values()}
        if text.lower() in stored:
            return stored[text.lower()]
        raise CellProblem(_("“{value}” is not one of: {allowed}.").format(
            value=text, allowed=LIST_JOINER.join(self.words)))

    def read(self, value):
        text = _as_text(value)
        if not text:
            if self.default is None:
                raise CellProblem(_("This field is required."))
            return self.default
        return self.lookup(text)

    def write(self, value):
        labels = {v: word for word, v in self.words.items()}
        return labels.get(value, value)


class YesNo(Choice):
    def __init__(self, *, default: bool):
        super().__init__(YES_NO, default=default)

    def read(self, value):
        if isinstance(value, bool):
            return value
        return super().read(value)


class Listing:
    """Several values separated by 、 , or ; — checked against `words` when given, kept in
    the file's order without repeats; `sort` for values whose order means nothing."""

    def __init__(self, words: dict | None = None, *, sort: bool = False):
        self.choice = Choice(words) if words else None
        self.sort = sort

    def read(self, value) -> list[str]:
        parts = [p.strip() for p in LIST_SEPARATORS.split(_as_text(value)) if p.strip()]
        values = [self.choice.lookup(p) for p in parts] if self.choice else parts
        values = list(dict.fromkeys(values))
        return sorted(values) if self.sort else values

    def write(self, values):
        if self.choice:
            values = [self.choice.write(v) for v in values]
        return LIST_JOINER.join(values) or None


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # "code", "department_code", "position" or an attribute of the element
    kind: Text | WholeNumber | Amount | Choice | Listing


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def index_of(self, field: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.field == field)

    def add_to(self, workbook: Workbook) -> Worksheet:
        """The sheet with its bold headers, and a drop-down list on every choice column."""
        worksheet = workbook.create_sheet(self.title)
        worksheet.append(self.headers)
        worksheet.freeze_panes = "A2"
        for index, column in enumerate(self.columns, start=1):
            letter = get_column_letter(index)
            worksheet[f"{letter}1"].font = Font(bold=True)
            worksheet.column_dimensions[letter].width = 30 if column.header in WIDE else 14
            if isinstance(column.kind, Choice):
                validation = DataValidation(type="list", allow_blank=True,
                                            formula1=f'"{",".join(column.kind.words)}"')
                validation.add(f"{letter}2:{letter}1048576")
                worksheet.add_data_validation(validation)
        return worksheet

    def append(self, worksheet: Worksheet, record: dict) -> None:
        """One row from `record` (values by field)."""
        row = []
        for column in self.columns:
            cell = Cell(worksheet, value=column.kind.write(record[column.field]))
            if cell.data_type == "f":  # text such as "=1+1" stays text, never a formula
                cell.data_type = "s"
            row.append(cell)
        worksheet.append(row)


CODE = Column("实施编码", "code", Text(40, required=True))
POSITION = Column("序号", "position", WholeNumber(1, 999))

ITEMS = Sheet("事项", (
    CODE,
    Column("部门编码", "department_code", Text(20, required=True)),
    Column("基本编码", "basic_code", Text(40, required=True)),
    Column("主项名称", "main_item", Text(100, required=True)),
    Column("子项名称", "sub_item", Text(100)),
    Column("办理项", "variant", Choice(VARIANTS)),
    Column("事项类型", "kind", Choice(KINDS)),
    Column("办件类型", "processing_type", Choice(PROCESSING_TYPES)),
    Column("法定时限", "legal_limit", WholeNumber(0, 3650, blank=None)),
    Column("法定时限单位", "legal_limit_unit", Choice(LIMIT_UNITS, default="working")),
    Column("承诺时限", "promised_limit", WholeNumber(0, 3650)),
    Column("承诺时限单位", "promised_limit_unit", Choice(LIMIT_UNITS, default="working")),
    Column("设定依据", "legal_basis", Text()),
    Column("申请条件", "conditions", Text()),
    Column("最多跑动次数", "max_visits", WholeNumber(0, 5)),
    Column("网办深度", "online_depth", WholeNumber(1, 4)),
    Column("可预约", "is_bookable", YesNo(default=False)),
    Column("送达方式", "delivery_modes", Listing(DELIVERY_MODES)),
    Column("咨询电话", "consultation_phone", Text(40)),
    Column("投诉电话", "complaint_phone", Text(40)),
    Column("主题", "theme_names", Listing(sort=True)),
    Column("联办部门", "joint_department_codes", Listing(sort=True)),
    Column("逾期默认", "silent_consent", YesNo(default=False)),
    Column("关键词", "keywords", Listing()),
))

MATERIALS = Sheet("材料", (
    CODE, POSITION,
    Column("材料名称", "name", Text(200, required=True)),
    Column("必要", "is_required", YesNo(default=True)),
    Column("主要材料", "is_key", YesNo(default=False)),
    Column("材料形式", "form", Choice(MATERIAL_FORMS, default="original")),
    Column("份数", "copies", WholeNumber(1, 99, blank=1)),
    Column("介质", "medium", Choice(MATERIAL_MEDIA, default="paper")),
    Column("来源", "source", Choice(MATERIAL_SOURCES, default="applicant")),
    Column("备注", "notes", Text(200)),
))

FEES = Sheet("收费", (
    CODE, POSITION,
    Column("收费项目", "name", Text(100, required=True)),
    Column("收费标准", "standard", Text(200, required=True)),
    Column("金额(元)", "amount", Amount(2, 12, blank=None)),
    Column("收费依据", "legal_basis", Text(300)),
))

STEPS = Sheet("流程", (
    CODE, POSITION,
    Column("环节名称", "name", Text(40, required=True)),
    Column("时限(工作日)", "budget_days", Amount(1, 5)),
))

SHEETS = (ITEMS, MATERIALS, FEES, STEPS)
