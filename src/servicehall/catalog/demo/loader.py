"""Builds the demo hall: a city center with its district, town and village network, ~35
departments, ~580 service items, ~60 windows, the official calendar and one account per role.

Deterministic: the same data every run. Idempotent: a hall that exists is left as it is."""

import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from openpyxl import Workbook

from servicehall.accounts.choices import Role
from servicehall.accounts.models import User
from servicehall.accounts.services import user_create
from servicehall.core.choices import CenterLevel
from servicehall.core.models import Center
from servicehall.core.services import center_create

from .. import services
from ..elements import FeeSpec, ItemElements, MaterialSpec, StepSpec
from ..models import Department
from . import data, search_data

DEMO_PASSWORD = "Demo@2026"
CITY_CODE = "440300"
VARIANT_NUMBERS = {"new": 1, "change": 2, "renew": 3, "cancel": 4, "other": 9}
KIND_NUMBERS = {"license": "01", "non_license": "02", "public_service": "03", "other": "09"}
CENTERS = [
    # code, name, short name, level, parent code
    (CITY_CODE, "深圳市行政服务大厅", "市行政服务大厅", CenterLevel.CITY, None),
    ("440304", "福田区行政服务大厅", "福田区大厅", CenterLevel.DISTRICT, CITY_CODE),
    ("440304001", "福田区福田街道便民服务中心", "福田街道", CenterLevel.TOWN, "440304"),
    ("440304001001", "福田街道岗厦社区代办点", "岗厦社区", CenterLevel.VILLAGE, "440304001"),
]
# Departments that also sit in the district hall and the town center (by code prefix order).
DISTRICT_DEPARTMENTS = 6
TOWN_DEPARTMENTS = 2
COMPREHENSIVE_WINDOWS = [
    ("综合受理一号窗", 4), ("综合受理二号窗", 4), ("综合受理三号窗", 5),
    ("商事登记综合窗", 3), ("投资建设综合窗", 5), ("社会事务综合窗", 4),
    ("出件窗口", 6), ("绿色通道窗口", 8), ("周六轮值窗口", 10), ("后备窗口", 12),
    ("咨询导办台", 35), ("统一收费窗口", 35),
]


@dataclass(frozen=True)
class Login:
    username: str
    full_name: str
    role: str
    center_code: str
    department_code: str = ""
    id_number: str = ""


LOGINS = [
    Login("admin", "系统管理员", Role.CENTER_ADMIN, CITY_CODE),
    Login("leader", "王主任", Role.CENTER_LEADER, CITY_CODE),
    Login("business", "李科长(业务科)", Role.BUSINESS_SECTION, CITY_CODE),
    Login("supervision", "赵科长(督查科)", Role.SUPERVISION_SECTION, CITY_CODE),
    Login("window01", "陈晓(综合窗口)", Role.WINDOW_STAFF, CITY_CODE),
    Login("window02", "林芳(综合窗口)", Role.WINDOW_STAFF, CITY_CODE),
    Login("scjg_chief", "黄伟(市场监管局首席代表)", Role.CHIEF_REPRESENTATIVE, CITY_CODE, "SCJG"),
    Login("scjg_reviewer", "刘洋(市场监管局审核)", Role.REVIEWER, CITY_CODE, "SCJG"),
    Login("gaj_reviewer", "张敏(公安局审核)", Role.REVIEWER, CITY_CODE, "GAJ"),
    Login("hotline", "周静(12345热线)", Role.HOTLINE_OPERATOR, CITY_CODE),
    Login("futian_window", "吴磊(福田区窗口)", Role.WINDOW_STAFF, "440304"),
    Login("applicant", "孙丽(申请人)", Role.APPLICANT, CITY_CODE, id_number="11010519491231002X"),
]


def demo_exists() -> bool:
    return Center.objects.filter(code=CITY_CODE).exists()


def _blank_form(name: str) -> str:
    """A downloadable blank form for a material, shared by every item that asks for it."""
    path = f"catalog/forms/{name}.xlsx"
    if not default_storage.exists(path):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "表格"
        sheet.append([name])
        for label in ("申请人(单位)名称", "统一社会信用代码/身份证号码", "联系人", "联系电话",
                      "通讯地址", "申请事项", "申请内容", "申请人签名(盖章)", "日期"):
            sheet.append([label, ""])
        sheet.column_dimensions["A"].width = 30
        sheet.column_dimensions["B"].width = 50
        buffer = io.BytesIO()
        workbook.save(buffer)
        default_storage.save(path, ContentFile(buffer.getvalue()))
    return path


def _elements(base: dict, variant: str, department_phone: str) -> ItemElements:
    return ItemElements(
        basic_code="",  # set by the caller
        main_item=base["name"], sub_item=base.get("sub_item", ""), variant=variant,
        kind=base["kind"], processing_type=base["processing_type"],
        legal_limit=base["legal_limit"], legal_limit_unit=base["legal_unit"],
        promised_limit=base["promised_limit"], promised_limit_unit=base["promised_unit"],
        legal_basis=base["legal_basis"], conditions=base["conditions"],
        max_visits=base["max_visits"], online_depth=base["online_depth"],
        is_bookable=base["bookable"], delivery_modes=list(base["delivery"]),
        consultation_phone=department_phone, complaint_phone="12345",
        theme_names=list(base["themes"]),
        joint_department_codes=list(base["joint_departments"]),
        keywords=list(search_data.KEYWORDS.get(base["name"], ())),
        materials=[MaterialSpec(
            name=m["name"], is_required=m["required"], is_key=m["key"], form=m["form"],
            copies=m["copies"], medium=m["medium"], source=m["source"],
            sample_file=_blank_form(m["name"]) if m.get("has_sample") else "")
            for m in base["materials"]],
        fees=[FeeSpec(name=f["name"], standard=f["standard"],
                      amount=Decimal(f["amount"]) if f.get("amount") else None,
                      legal_basis=f.get("legal_basis", "")) for f in base["fees"]],
        steps=[StepSpec(name=s[0], budget_days=Decimal(str(s[1]))) for s in base["steps"]],
    )


def _load_items(center: Center, departments: dict[str, Department],
                source: list[dict], *, bases_per_department: int | None = None) -> int:
    count = 0
    for dept_index, spec in enumerate(source, start=1):
        department = departments.get(spec["code"])
        if department is None:
            continue
        bases = spec["items"][:bases_per_department]
        for base_index, base in enumerate(bases, start=1):
            joints = [c for c in base["joint_departments"] if c in departments]
            base = {**base, "joint_departments": joints}
            if base["processing_type"] == "joint" and not joints:
                base = {**base, "processing_type": "promised"}
            for variant in base["variants"]:
                elements = _elements(base, variant, department.phone)
                elements.basic_code = (f"{KIND_NUMBERS[base['kind']]}{dept_index:03d}"
                                       f"{base_index:03d}{VARIANT_NUMBERS[variant]:02d}00")
                code = f"{center.code}-{spec['code']}-{base_index:03d}-{VARIANT_NUMBERS[variant]}"
                services.item_create(department=department, code=code, elements=elements,
                                     by=None, change_note="演示数据")
                count += 1
    return count


def _load_departments(center: Center, source: list[dict]) -> dict[str, Department]:
    return {spec["code"]: services.department_save(
        center=center, code=spec["code"], name=spec["name"], short_name=spec["short_name"],
        phone=spec["phone"], sort_order=position, by=None)
        for position, spec in enumerate(source, start=1)}


def _load_windows(center: Center, departments: dict[str, Department], source: list[dict],
                  *, comprehensive: bool = True) -> int:
    number = 0
    for spec in source:
        department = departments.get(spec["code"])
        if department is None:
            continue
        for _ in range(spec["windows"]):
            number += 1
            services.window_save(center=center, number=str(number), department=department,
                                 name=department.short_name, sort_order=number, by=None)
    ordered = list(departments.values())
    for name, served in COMPREHENSIVE_WINDOWS if comprehensive else []:
        number += 1
        offset = (number * 7) % len(ordered)
        group = (ordered[offset:] + ordered[:offset])[:served]
        services.window_save(center=center, number=str(number), served_departments=group,
                             name=name, sort_order=number, by=None)
    return number


def _load_logins(centers: dict[str, Center]) -> None:
    for login in LOGINS:
        center = centers[login.center_code]
        department = (Department.objects.get(center=center, code=login.department_code)
                      if login.department_code else None)
        user = user_create(username=login.username, password=DEMO_PASSWORD,
                           full_name=login.full_name, role=login.role, center=center,
                           department=department, id_number=login.id_number, by=None)
        if login.role == Role.CENTER_ADMIN:  # the admin site is for the center admin only
            User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)


@transaction.atomic
def load_demo(*, log=print) -> dict[str, int]:
    centers: dict[str, Center] = {}
    for code, name, short_name, level, parent in CENTERS:
        centers[code] = center_create(
            code=code, name=name, short_name=short_name, level=level,
            parent=centers[parent] if parent else None, by=None, phone="0755-12345",
            address="深圳市福田区福中三路市民中心" if level == CenterLevel.CITY else "",
            opening_hours="周一至周五 9:00–12:00, 14:00–18:00;周六 9:00–17:00 轮值")
    log("centers and official calendars: done")
    city = centers[CITY_CODE]
    for position, (name, audience) in enumerate(data.THEMES, start=1):
        for center in centers.values():
            services.theme_ensure(center=center, name=name, audience=audience,
                                  sort_order=position, by=None)
    for center in centers.values():
        for phrase, terms in search_data.SYNONYMS:
            services.synonym_save(center=center, phrase=phrase, terms=list(terms), by=None)
    departments = _load_departments(city, data.DEPARTMENTS)
    windows = _load_windows(city, departments, data.DEPARTMENTS)
    items = _load_items(city, departments, data.DEPARTMENTS)
    log(f"city hall: {len(departments)} departments, {windows} windows, {items} items")
    for code, size in (("440304", DISTRICT_DEPARTMENTS), ("440304001", TOWN_DEPARTMENTS)):
        local = data.DEPARTMENTS[:size] if size == DISTRICT_DEPARTMENTS else [
            spec for spec in data.DEPARTMENTS if spec["code"] in ("RSJ", "MZJ")][:size]
        local_departments = _load_departments(centers[code], local)
        local_windows = _load_windows(centers[code], local_departments, local,
                                      comprehensive=False)
        local_items = _load_items(centers[code], local_departments, local,
                                  bases_per_department=3)
        log(f"{centers[code].name}: {len(local_departments)} departments, "
            f"{local_windows} windows, {local_items} items")
    _load_logins(centers)
    return {"departments": len(departments), "windows": windows, "items": items}
