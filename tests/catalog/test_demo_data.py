"""Rules the demo catalogue (servicehall.catalog.demo.data) must obey. Pure Python, no database."""

import re
from collections import Counter
from decimal import Decimal

import pytest

from servicehall.catalog.demo import data

KINDS = {"license", "non_license", "public_service", "other"}
PROCESSING_TYPES = {"immediate", "promised", "joint", "reported"}
UNITS = {"working", "natural"}
VARIANTS = {"new", "change", "renew", "cancel", "other"}
FORMS = {"original", "copy", "original_and_copy"}
MEDIA = {"paper", "electronic", "both"}
SOURCES = {"applicant", "government", "intermediary"}
DELIVERY = {"window", "post", "online"}
STEP_NAMES = {"受理", "承办", "审查", "审核", "现场核查", "审定", "批准", "办结", "制证"}

DEPARTMENT_CODES = {d["code"] for d in data.DEPARTMENTS}
THEME_NAMES = {name for name, _ in data.THEMES}


def all_items():
    return [(d, item) for d in data.DEPARTMENTS for item in d["items"]]


def item_id(param):
    department, item = param
    return f"{department['code']}:{item['name']}:{item['sub_item']}:{'/'.join(item['variants'])}"


ITEMS = all_items()


def catalogue_count(processing_type=None):
    return sum(
        len(item["variants"])
        for _, item in ITEMS
        if processing_type is None or item["processing_type"] == processing_type
    )


# -- the hall as a whole -----------------------------------------------------------------------


def test_hall_has_about_thirty_five_departments():
    assert 33 <= len(data.DEPARTMENTS) <= 37


def test_department_codes_are_unique_uppercase_ascii():
    codes = [d["code"] for d in data.DEPARTMENTS]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[A-Z]{2,8}", code) for code in codes)


def test_department_names_and_phones_are_unique():
    for field in ("name", "short_name", "phone"):
        values = [d[field] for d in data.DEPARTMENTS]
        assert len(values) == len(set(values)), field
    assert all(re.fullmatch(r"0755-\d{8}", d["phone"]) for d in data.DEPARTMENTS)


def test_every_department_has_windows_and_items():
    for department in data.DEPARTMENTS:
        assert department["windows"] >= 1, department["code"]
        assert department["items"], department["code"]


def test_window_total_is_between_40_and_55():
    assert 40 <= sum(d["windows"] for d in data.DEPARTMENTS) <= 55


def test_catalogue_expands_to_about_580_items():
    assert 560 <= catalogue_count() <= 600


def test_about_76_catalogue_items_are_immediate():
    assert 70 <= catalogue_count("immediate") <= 82


def test_a_few_items_are_joint_or_reported():
    assert 8 <= catalogue_count("joint") <= 25
    assert 5 <= catalogue_count("reported") <= 15
    assert catalogue_count("promised") > catalogue_count() / 2


def test_themes_are_unique_and_have_a_valid_audience():
    names = [name for name, _ in data.THEMES]
    assert len(names) == len(set(names))
    assert {audience for _, audience in data.THEMES} <= {"person", "enterprise"}


def test_expanded_item_names_are_unique_per_department():
    for department in data.DEPARTMENTS:
        keys = Counter(
            (item["name"], item["sub_item"], variant)
            for item in department["items"]
            for variant in item["variants"]
        )
        duplicates = [key for key, count in keys.items() if count > 1]
        assert not duplicates, (department["code"], duplicates)


# -- each item ---------------------------------------------------------------------------------

item_rule = pytest.mark.parametrize("entry", ITEMS, ids=item_id)


@item_rule
def test_enumerated_fields_hold_allowed_values(entry):
    _, item = entry
    assert item["kind"] in KINDS
    assert item["processing_type"] in PROCESSING_TYPES
    assert item["legal_unit"] in UNITS
    assert item["promised_unit"] in UNITS
    assert item["variants"] and set(item["variants"]) <= VARIANTS
    assert len(item["variants"]) == len(set(item["variants"]))
    assert item["delivery"] and set(item["delivery"]) <= DELIVERY
    assert item["online_depth"] in {1, 2, 3, 4}
    assert item["max_visits"] in {0, 1, 2}
    assert isinstance(item["bookable"], bool)


@item_rule
def test_item_texts_are_filled_in(entry):
    _, item = entry
    assert item["name"].strip()
    assert item["legal_basis"].startswith("《")
    assert item["conditions"].startswith("一、")


@item_rule
def test_promised_limit_never_exceeds_legal_limit(entry):
    _, item = entry
    legal, promised = item["legal_limit"], item["promised_limit"]
    assert isinstance(promised, int) and promised >= 0
    if legal is None:
        return
    assert isinstance(legal, int) and legal > 0
    if item["legal_unit"] == item["promised_unit"]:
        assert promised <= legal
    elif item["legal_unit"] == "natural":  # promised in working days
        assert promised * 7 <= legal * 5
    else:  # legal in working days, promised in natural days: natural days are never longer
        assert promised <= legal


@item_rule
def test_immediate_items_promise_zero_days_and_others_at_least_one(entry):
    _, item = entry
    if item["processing_type"] == "immediate":
        assert item["promised_limit"] == 0
    else:
        assert item["promised_limit"] >= 1


@item_rule
def test_step_budgets_fit_in_the_promised_limit(entry):
    _, item = entry
    steps = item["steps"]
    assert steps[0][0] == "受理" and steps[-1][0] == "办结"
    assert all(name in STEP_NAMES for name, _ in steps)
    assert all(budget >= 0 for _, budget in steps)
    total = sum(budget for _, budget in steps)
    if item["processing_type"] == "immediate":
        assert total == 0
    else:
        assert total <= item["promised_limit"]


@item_rule
def test_every_item_has_a_key_material_and_key_implies_required(entry):
    _, item = entry
    materials = item["materials"]
    assert 2 <= len(materials) <= 8
    assert any(m["key"] for m in materials)
    for material in materials:
        assert not material["key"] or material["required"], material["name"]


@item_rule
def test_material_fields_hold_allowed_values(entry):
    _, item = entry
    names = [m["name"] for m in item["materials"]]
    assert len(names) == len(set(names))
    for material in item["materials"]:
        assert material["form"] in FORMS
        assert material["medium"] in MEDIA
        assert material["source"] in SOURCES
        assert isinstance(material["copies"], int) and material["copies"] >= 1
        assert isinstance(material["has_sample"], bool)


@item_rule
def test_fees_state_an_amount_and_a_basis(entry):
    _, item = entry
    for fee in item["fees"]:
        assert Decimal(fee["amount"]) > 0
        assert fee["name"] and fee["standard"] and fee["legal_basis"]


@item_rule
def test_joint_departments_are_listed_exactly_for_joint_items(entry):
    department, item = entry
    joint = item["joint_departments"]
    if item["processing_type"] == "joint":
        assert joint
    else:
        assert not joint
    assert len(joint) == len(set(joint))
    assert set(joint) <= DEPARTMENT_CODES
    assert department["code"] not in joint


@item_rule
def test_item_themes_exist(entry):
    _, item = entry
    assert len(item["themes"]) <= 2
    assert set(item["themes"]) <= THEME_NAMES


# -- determinism ---------------------------------------------------------------------------------


def test_data_is_deterministic_across_imports():
    import importlib

    before = repr(data.DEPARTMENTS)
    reloaded = importlib.reload(data)
    assert repr(reloaded.DEPARTMENTS) == before
