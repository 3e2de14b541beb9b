"""The catalog workbook: export → edit in Excel → import, all or nothing, every error placed."""

import io
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from servicehall.catalog import services
from servicehall.catalog.elements import FeeSpec, MaterialSpec
from servicehall.catalog.excel import (
    CatalogImportError,
    ImportResult,
    catalog_workbook,
    export_catalog,
    import_catalog,
    parse_catalog,
)
from servicehall.catalog.models import ItemVersion, ServiceItem
from servicehall.core.errors import PermissionDenied, ValidationFailed
from tests.factories import elements

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ITEM = {
    "实施编码": "SCJG-0100", "部门编码": "SCJG", "基本编码": "000123456100",
    "主项名称": "食品生产许可", "子项名称": "", "办理项": "新办", "事项类型": "行政许可",
    "办件类型": "承诺件", "法定时限": 20, "法定时限单位": "工作日", "承诺时限": 10,
    "承诺时限单位": "工作日", "设定依据": "《中华人民共和国食品安全法》第三十五条",
    "申请条件": "具有与生产的食品品种相适应的场所。", "最多跑动次数": 1, "网办深度": 3,
    "可预约": "是", "送达方式": "窗口领取、邮寄", "咨询电话": "0755-88880000",
    "投诉电话": "12345", "主题": None, "联办部门": None,
}


def item_row(code="SCJG-0100", **cells):
    return {**ITEM, "实施编码": code, **cells}


def material_row(code="SCJG-0100", number=1, name="食品生产许可申请书", **cells):
    return {"实施编码": code, "序号": number, "材料名称": name, "必要": "是",
            "主要材料": "是", "材料形式": "原件", "份数": 1, "介质": "纸质",
            "来源": "申请人自备", **cells}


def workbook_file(*, items=(), materials=(), fees=(), steps=(), workbook=None,
                  name="catalog.xlsx"):
    """An upload built in memory: the rows (dicts by header) below the layout's headers."""
    workbook = workbook or catalog_workbook([])
    for title, rows in (("事项", items), ("材料", materials), ("收费", fees), ("流程", steps)):
        sheet = workbook[title]
        headers = [cell.value for cell in sheet[1]]
        for row in rows:
            sheet.append([row.get(header) for header in headers])
    return as_upload(workbook, name=name)


def as_upload(workbook, name="catalog.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def exported(user):
    return load_workbook(io.BytesIO(export_catalog(user=user)))


@pytest.fixture
def english():
    """Messages are English msgids (Django itself translates a few of them to Chinese)."""
    with translation.override("en"):
        yield


def placed(errors):
    return {(e.sheet, e.row, e.column, e.header) for e in errors}


def counts():
    return ServiceItem.objects.count(), ItemVersion.objects.count()


@pytest.fixture
def rich_item(center, department_a, department_b, make_item):
    """An item using every kind of column, a blank form included."""
    theme = services.theme_ensure(center=center, name="开办企业", audience="enterprise", by=None)
    base = elements()
    return make_item(
        department_a, "SCJG-0002", sub_item="餐饮服务", variant="change",
        processing_type="joint", legal_limit=None, promised_limit=15,
        promised_limit_unit="natural", max_visits=0, online_depth=4, is_bookable=True,
        delivery_modes=["post", "window"], theme_names=[theme.name],
        joint_department_codes=[department_b.code], consultation_phone="0755-12345",
        conditions="一、有场所;\n二、=有制度", legal_basis="=SUM(A1:A2)",
        materials=[replace(base.materials[0], sample_file="catalog/forms/申请书.docx",
                           notes="加盖公章"), *base.materials[1:]],
        fees=[FeeSpec(name="工本费", standard="每证10元", amount=Decimal("10.50"),
                      legal_basis="价费字〔1992〕240号"),
              FeeSpec(name="检验费", standard="按实收取")])


def test_an_exported_file_imported_again_changes_nothing(center, item_a, item_b, rich_item,
                                                         business_section):
    before = counts()
    upload = as_upload(exported(business_section))

    result = import_catalog(center=center, file=upload, by=business_section)

    assert result == ImportResult(created=0, updated=0, unchanged=3)
    assert counts() == before


def test_the_export_writes_text_that_looks_like_a_formula_as_text(rich_item, business_section):
    sheet = exported(business_section)["事项"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "SCJG-0002")

    assert row[12].value == "=SUM(A1:A2)"
    assert row[12].data_type == "s"


def test_import_creates_new_items_with_materials_fees_and_steps(center, department_a,
                                                                department_b, business_section):
    services.theme_ensure(center=center, name="开办企业", audience="enterprise", by=None)
    upload = workbook_file(
        items=[item_row(主题="开办企业", 办件类型="联办件", 联办部门="GAJJ"),
               item_row("SCJG-0101", 法定时限=None, 办件类型="即办件", 承诺时限=0,
                        办理项="other", 事项类型="public_service")],
        materials=[material_row(number=2, name="营业执照", 主要材料="否", 材料形式="复印件",
                                介质="纸质或电子", 来源="政府部门核发", 份数=2),
                   material_row(number=1), material_row("SCJG-0101")],
        fees=[{"实施编码": "SCJG-0100", "序号": 1, "收费项目": "工本费",
               "收费标准": "每证10元", "金额(元)": 10.5}],
        steps=[{"实施编码": "SCJG-0100", "序号": 1, "环节名称": "受理", "时限(工作日)": 1},
               {"实施编码": "SCJG-0100", "序号": 2, "环节名称": "审核", "时限(工作日)": 4.5}])

    result = import_catalog(center=center, file=upload, by=business_section)

    assert result == ImportResult(created=2, updated=0, unchanged=0)
    item = ServiceItem.objects.get(center=center, code="SCJG-0100")
    version = item.current_version
    assert (item.department, version.number, version.change_note) == (department_a, 1,
                                                                        "Excel导入")
    assert (version.processing_type, version.promised_limit, version.is_bookable) == (
        "joint", 10, True)
    assert version.delivery_modes == ["window", "post"]
    assert [t.name for t in version.themes.all()] == ["开办企业"]
    assert list(version.joint_departments.all()) == [department_b]
    assert [(m.name, m.is_key, m.form, m.copies, m.medium, m.source)
            for m in version.materials.all()] == [
        ("食品生产许可申请书", True, "original", 1, "paper", "applicant"),
        ("营业执照", False, "copy", 2, "both", "government")]
    assert [(f.name, f.amount) for f in version.fees.all()] == [("工本费", Decimal("10.50"))]
    assert version.charges_fee
    assert [(s.name, s.budget_days) for s in version.steps.all()] == [
        ("受理", Decimal("1.0")), ("审核", Decimal("4.5"))]
    other = ServiceItem.objects.get(code="SCJG-0101").current_version
    assert (other.legal_limit, other.processing_type, other.variant, other.kind) == (
        None, "immediate", "other", "public_service")


def test_changing_a_promised_limit_publishes_a_new_version(center, rich_item, business_section):
    workbook = exported(business_section)
    workbook["事项"]["K2"] = 12

    result = import_catalog(center=center, file=as_upload(workbook), by=business_section)

    assert result == ImportResult(created=0, updated=1, unchanged=0)
    rich_item.refresh_from_db()
    version = rich_item.current_version
    assert (version.number, version.promised_limit) == (2, 12)
    assert (version.change_note, version.created_by) == ("Excel导入", business_section)
    # the sheet carries no files: the blank form of an unchanged material stays
    assert version.materials.first().sample_file.name == "catalog/forms/申请书.docx"


def test_errors_are_reported_by_sheet_row_and_column(center, department_a, business_section,
                                                     english):
    upload = workbook_file(
        items=[item_row("SCJG-0100"),
               item_row("SCJG-0101", 承诺时限="十天"),
               item_row("SCJG-0102", 部门编码="NOPE"),
               item_row("SCJG-0103", 法定时限=20, 承诺时限=30),
               item_row("SCJG-0104", 事项类型="许可")],
        materials=[material_row(code) for code in ("SCJG-0100", "SCJG-0101", "SCJG-0102",
                                                   "SCJG-0103", "SCJG-0104")]
        + [material_row("XXXX-9999")],
        steps=[{"实施编码": "SCJG-0100", "序号": 1, "环节名称": "审核", "时限(工作日)": -1}])

    with pytest.raises(CatalogImportError) as failed:
        import_catalog(center=center, file=upload, by=business_section)

    errors = failed.value.errors
    assert placed(errors) == {
        ("事项", 3, "K", "承诺时限"),
        ("事项", 4, "B", "部门编码"),
        ("事项", 5, "K", "承诺时限"),
        ("事项", 6, "G", "事项类型"),
        ("材料", 7, "A", "实施编码"),
        ("流程", 2, "D", "时限(工作日)"),
    }
    by_place = {(e.sheet, e.row, e.column): e for e in errors}
    assert by_place["事项", 3, "K"].message == "Enter a whole number."
    assert "cannot exceed the legal" in by_place["事项", 5, "K"].message
    assert str(by_place["事项", 3, "K"]) == (
        "事项 row 3, column K (承诺时限): Enter a whole number.")


def test_item_level_rules_are_placed_on_the_item_row(center, department_a, item_b,
                                                     business_section):
    upload = workbook_file(
        items=[item_row("SCJG-0100"), item_row("SCJG-0100"),
               item_row("SCJG-0101", 主题="不存在的主题", 联办部门="SCJG"),
               item_row("SCJG-0102", 办件类型="联办件"),
               item_row("GAJJ-0001"),
               item_row("SCJG-0103", 承诺时限=3)],
        materials=[material_row(c) for c in ("SCJG-0100", "SCJG-0101", "SCJG-0102",
                                             "GAJJ-0001")]
        + [material_row("SCJG-0103", 必要="否")],
        steps=[{"实施编码": "SCJG-0101", "序号": 1, "环节名称": "审核", "时限(工作日)": 11}])

    with pytest.raises(CatalogImportError) as failed:
        import_catalog(center=center, file=upload, by=business_section)

    assert placed(failed.value.errors) == {
        ("事项", 3, "A", "实施编码"),  # duplicate code
        ("事项", 4, "K", "承诺时限"),  # steps add up to more than the promised limit
        ("事项", 4, "U", "主题"),  # unknown theme
        ("事项", 4, "V", "联办部门"),  # the lead department as co-department
        ("事项", 5, "V", "联办部门"),  # a joint item without co-departments
        ("事项", 6, "B", "部门编码"),  # GAJJ-0001 belongs to another department
        ("材料", 6, "D", "必要"),  # a main material not required
    }


def test_an_item_without_materials_is_an_error(center, department_a, business_section):
    upload = workbook_file(items=[item_row()])

    with pytest.raises(CatalogImportError) as failed:
        parse_catalog(upload)

    assert placed(failed.value.errors) == {("事项", 2, "A", "实施编码")}


def test_stored_values_are_accepted_for_choices(center, department_a, business_section):
    upload = workbook_file(items=[item_row(事项类型="license", 办件类型="promised",
                                           承诺时限单位="working", 可预约="否",
                                           送达方式="window;online")],
                           materials=[material_row(材料形式="original_and_copy")])

    [parsed] = parse_catalog(upload)

    assert (parsed.elements.kind, parsed.elements.delivery_modes) == ("license",
                                                                      ["window", "online"])
    assert parsed.elements.materials == [MaterialSpec(name="食品生产许可申请书", is_key=True,
                                                      form="original_and_copy")]


def test_nothing_is_imported_when_the_last_row_is_wrong(center, department_a, item_a,
                                                        business_section):
    before = counts()
    upload = workbook_file(
        items=[item_row("SCJG-0100"), item_row("SCJG-0101"), item_row("SCJG-0001",
                                                                       承诺时限=99)],
        materials=[material_row(c) for c in ("SCJG-0100", "SCJG-0101", "SCJG-0001")])

    with pytest.raises(CatalogImportError) as failed:
        import_catalog(center=center, file=upload, by=business_section)

    assert placed(failed.value.errors) == {("事项", 4, "K", "承诺时限")}
    assert counts() == before


def test_nothing_is_imported_when_a_service_refuses_the_last_item(center, department_a,
                                                                  business_section,
                                                                  monkeypatch):
    before = counts()
    create = services.item_create

    def refusing(**kwargs):
        if kwargs["code"] == "SCJG-0101":
            raise ValidationFailed(fields={"basic_code": ["Refused."]})
        return create(**kwargs)

    monkeypatch.setattr(services, "item_create", refusing)
    upload = workbook_file(items=[item_row("SCJG-0100"), item_row("SCJG-0101")],
                           materials=[material_row("SCJG-0100"), material_row("SCJG-0101")])

    with pytest.raises(CatalogImportError) as failed:
        import_catalog(center=center, file=upload, by=business_section)

    assert placed(failed.value.errors) == {("事项", 3, "C", "基本编码")}
    assert counts() == before


def test_a_file_that_is_not_a_workbook_is_refused(center, business_section, english):
    upload = SimpleUploadedFile("catalog.xlsx", "实施编码,主项名称\n".encode(),
                                content_type="text/plain")

    with pytest.raises(CatalogImportError) as failed:
        import_catalog(center=center, file=upload, by=business_section)

    [error] = failed.value.errors
    assert "not a readable Excel workbook" in str(error)


def test_a_file_over_the_size_limit_is_refused(center, business_section, settings, english):
    settings.CATALOG_IMPORT_MAX_BYTES = 1024

    with pytest.raises(CatalogImportError) as failed:
        import_catalog(center=center, file=workbook_file(), by=business_section)

    [error] = failed.value.errors
    assert "larger than" in error.message


def test_a_missing_sheet_is_named(center, business_section):
    workbook = catalog_workbook([])
    del workbook["收费"]

    with pytest.raises(CatalogImportError) as failed:
        import_catalog(center=center, file=as_upload(workbook), by=business_section)

    [error] = failed.value.errors
    assert error.sheet == "收费"
    assert "收费" in error.message


def test_a_wrong_header_is_named(center, business_section):
    workbook = catalog_workbook([])
    workbook["材料"]["C1"] = "名称"

    with pytest.raises(CatalogImportError) as failed:
        parse_catalog(as_upload(workbook))

    assert placed(failed.value.errors) == {("材料", 1, "C", "材料名称")}


def test_a_department_reviewer_may_not_import(center, department_a, reviewer_a):
    upload = workbook_file(items=[item_row()], materials=[material_row()])

    with pytest.raises(PermissionDenied):
        import_catalog(center=center, file=upload, by=reviewer_a)

    assert not ServiceItem.objects.exists()


def test_the_import_page_shows_errors_with_status_400(client, center, department_a,
                                                      business_section):
    client.force_login(business_section)
    upload = workbook_file(items=[item_row(承诺时限="十天")], materials=[material_row()])

    response = client.post("/staff/catalog/import/", {"file": upload})

    assert response.status_code == 400
    [error] = response.context["errors"]
    assert (error.sheet, error.row, error.column) == ("事项", 2, "K")
    assert error.message in response.content.decode()
    assert not ServiceItem.objects.exists()


def test_the_import_page_shows_the_counts(client, center, department_a, business_section):
    client.force_login(business_section)
    upload = workbook_file(items=[item_row()], materials=[material_row()])

    response = client.post("/staff/catalog/import/", {"file": upload})

    assert response.status_code == 200
    assert response.context["result"] == ImportResult(created=1, updated=0, unchanged=0)
    assert ServiceItem.objects.filter(code="SCJG-0100").exists()


def test_the_export_holds_only_the_items_the_user_may_see(client, item_a, item_b, reviewer_a):
    client.force_login(reviewer_a)

    response = client.get("/staff/catalog/export.xlsx")

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert [row[0] for row in workbook["事项"].iter_rows(min_row=2, values_only=True)] == [
        "SCJG-0001"]
    assert {row[0] for row in workbook["材料"].iter_rows(min_row=2, values_only=True)} == {
        "SCJG-0001"}
