"""The guide's full-text search on the database in use (SQLite FTS5 or PostgreSQL tsvector):
run with DATABASE_URL=postgres://… for the second engine."""

import pytest
from django.core.management import call_command

from servicehall.catalog import services
from servicehall.catalog.elements import MaterialSpec
from servicehall.catalog.models import SearchEntry
from servicehall.catalog.search.query import items_search
from servicehall.catalog.selectors import published_items
from servicehall.core.models import Center
from tests.factories import elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(center, department_a, department_b, make_item, business_section):
    """A few items of two departments, with the synonyms the demo hall has."""
    services.theme_ensure(center=center, name="开办企业", audience="enterprise", by=None)
    make_item(department_a, "SCJG-0001", sub_item="餐饮服务", theme_names=["开办企业"],
              keywords=["饭店", "餐馆"])
    make_item(department_a, "SCJG-0002", sub_item="食品销售", keywords=["超市"])
    make_item(department_a, "SCJG-0003", main_item="公司登记", sub_item="内资有限责任公司",
              theme_names=["开办企业"], conditions="一、有符合章程的名称。",
              materials=[MaterialSpec(name="公司登记申请书", is_key=True),
                         MaterialSpec(name="食品经营许可证复印件(经营食品的)")])
    make_item(department_b, "GAJ-0001", main_item="出生登记", conditions="婴儿出生一个月内申报。",
              materials=[MaterialSpec(name="出生医学证明", is_key=True)])
    make_item(department_b, "GAJ-0002", main_item="机动车登记", conditions="车辆检验合格。",
              materials=[MaterialSpec(name="机动车来历证明", is_key=True)])
    for phrase, terms in (("开饭店", ["食品经营许可", "餐饮服务"]), ("开公司", ["公司登记"]),
                          ("上户口", ["出生登记", "户口迁入审批"])):
        services.synonym_save(center=center, phrase=phrase, terms=terms, by=business_section)
    return center


def codes(center, q, **filters):
    results = items_search(center=center, q=q, items=published_items(center=center, **filters))
    return [hit.item_id for hit in results.hits], results


def item_codes(center, q, **filters):
    from servicehall.catalog.models import ServiceItem

    ids, _ = codes(center, q, **filters)
    by_id = dict(ServiceItem.objects.filter(pk__in=ids).values_list("pk", "code"))
    return [by_id[i] for i in ids]


def test_a_colloquial_phrase_finds_the_catalog_item_first(catalog):
    found = item_codes(catalog, "开饭店")
    assert found[0] == "SCJG-0001"  # 食品经营许可(餐饮服务): both catalog terms in its name
    assert found[:2] == ["SCJG-0001", "SCJG-0002"]
    assert "SCJG-0003" in found  # 公司登记 asks for a food licence copy: found, ranked last
    assert found.index("SCJG-0003") == len(found) - 1


def test_synonyms_for_company_and_household_registration(catalog):
    assert item_codes(catalog, "开公司")[0] == "SCJG-0003"
    assert item_codes(catalog, "我要上户口")[0] == "GAJ-0001"


def test_name_beats_keyword_beats_material_or_condition(catalog, department_b, make_item):
    make_item(department_b, "GAJ-0003", main_item="旅馆业特种行业许可证", keywords=["饭店式公寓"],
              materials=[MaterialSpec(name="申请表", is_key=True)], conditions="")
    make_item(department_b, "GAJ-0004", main_item="饭店卫生检查",
              materials=[MaterialSpec(name="申请表", is_key=True)], conditions="")
    ids, results = codes(catalog, "饭店")
    tiers = {hit.item_id: hit.matched_in for hit in results.hits}
    found = item_codes(catalog, "饭店")
    assert found[0] == "GAJ-0004"
    assert [tiers[i] for i in ids] == ["name", "keyword", "keyword"]


def test_two_character_and_one_character_queries(catalog):
    assert item_codes(catalog, "出生") == ["GAJ-0001"]
    assert set(item_codes(catalog, "证")) >= {"GAJ-0001", "GAJ-0002", "SCJG-0003"}
    assert item_codes(catalog, "婴") == ["GAJ-0001"]  # a condition, as a one-character prefix
    assert set(item_codes(catalog, "明")) == {"GAJ-0001", "GAJ-0002"}  # last of a run


def test_a_phrase_matches_adjacent_characters_only(catalog):
    assert item_codes(catalog, "登记 出生") == ["GAJ-0001"]  # two words: both, anywhere
    _, results = codes(catalog, "登记出生")  # no such substring: the bigram fallback answers
    assert results.relaxed
    assert not codes(catalog, "出生")[1].relaxed


def test_when_nothing_matches_as_typed_parts_of_the_words_are_tried(catalog):
    ids, results = codes(catalog, "我想开个饭店")
    assert results.relaxed and item_codes(catalog, "我想开个饭店")[0] == "SCJG-0001"
    assert codes(catalog, "量子计算机")[0] == []


@pytest.mark.parametrize("hostile", ['"', "' OR 1=1; --", '食品" OR "*', "NEAR(食品 许可)",
                                     "%", "_", "\\", "*", "a:b", ")))", "食品'); DROP TABLE x;--",
                                     "<script>alert(1)</script>", "x" * 500])
def test_punctuation_and_injection_looking_input_is_harmless(client, catalog, hostile):
    response = client.get("/guide/search/", {"q": hostile})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    api = client.get("/api/v1/guide/search", {"q": hostile[:100]})
    assert api.status_code in (200, 422)
    assert SearchEntry.objects.count() == 5


def test_injection_looking_input_still_finds_its_words(catalog):
    assert item_codes(catalog, '食品"*(')[:2] == ["SCJG-0001", "SCJG-0002"]
    assert item_codes(catalog, '"出生"; DROP TABLE catalog_searchentry; --') == []  # all words


def test_withdrawn_items_and_old_versions_are_not_found(catalog, department_a, business_section):
    from servicehall.catalog.models import ServiceItem

    item = ServiceItem.objects.get(code="GAJ-0002")
    services.item_set_published(item=item, published=False, by=business_section)
    assert item_codes(catalog, "机动车") == []
    services.item_set_published(item=item, published=True, by=business_section)
    assert item_codes(catalog, "机动车") == ["GAJ-0002"]
    services.item_update(item=item, elements=elements(main_item="非机动车备案",
                                                      conditions="", keywords=["电动自行车"]),
                         by=business_section, expected_version=1, change_note="改名")
    assert "GAJ-0002" not in item_codes(catalog, "来历证明")  # version 1's material is history
    assert item_codes(catalog, "非机动车") == ["GAJ-0002"]
    assert item_codes(catalog, "电动自行车") == ["GAJ-0002"]


def test_a_new_item_is_found_at_once_and_only_in_its_center(catalog, make_item):
    from tests.factories import CenterFactory, DepartmentFactory

    other = CenterFactory(code="440304")
    make_item(DepartmentFactory(center=other, code="MZJ"), "MZJ-0001", main_item="婚姻登记")
    assert item_codes(catalog, "婚姻") == []
    assert items_search(center=other, q="婚姻", items=published_items(center=other)).hits


def test_filters_narrow_the_search(catalog, department_b):
    assert item_codes(catalog, "登记", department_id=department_b.pk) == ["GAJ-0001", "GAJ-0002"]
    theme = catalog.themes.get(name="开办企业")
    assert item_codes(catalog, "许可", theme_id=theme.pk) == ["SCJG-0001", "SCJG-0003"]


def test_rebuild_writes_every_published_item_again(catalog, business_section):
    from servicehall.catalog.models import ServiceItem

    SearchEntry.objects.all().delete()
    assert item_codes(catalog, "出生") == []
    ServiceItem.objects.filter(code="GAJ-0002").update(is_active=False)
    call_command("search_rebuild", verbosity=0)
    assert SearchEntry.objects.count() == 4
    assert item_codes(catalog, "出生") == ["GAJ-0001"]


def test_rebuild_command_refuses_an_unknown_center(catalog):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("search_rebuild", center="nope")
    call_command("search_rebuild", center=catalog.code, verbosity=0)
    assert Center.objects.filter(code=catalog.code).exists()


def test_synonyms_are_checked_and_replaced(catalog, business_section):
    from servicehall.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.synonym_save(center=catalog, phrase=" ", terms=["公司登记"], by=business_section)
    with pytest.raises(ValidationFailed):
        services.synonym_save(center=catalog, phrase="开店", terms=["", " "], by=business_section)
    synonym = services.synonym_save(center=catalog, phrase="开公司", terms=["企业名称预先核准"],
                                    by=business_section)
    assert synonym.term_list == ["企业名称预先核准"]
    assert catalog.search_synonyms.count() == 3


def test_a_synonym_added_in_the_admin_is_used_at_once_and_audited(admin_client, catalog):
    from servicehall.core.models import AuditEntry

    assert item_codes(catalog, "宝宝报到") == []
    response = admin_client.post("/admin/catalog/synonym/add/", {
        "center": catalog.pk, "phrase": "宝宝报到", "terms": "出生登记"})
    assert response.status_code == 302
    assert item_codes(catalog, "我要宝宝报到") == ["GAJ-0001"]
    assert AuditEntry.objects.filter(action="catalog.synonym_created").exists()
