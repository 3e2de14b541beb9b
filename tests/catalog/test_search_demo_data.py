"""The demo hall's search words fit its catalogue. Pure Python, no database."""

from servicehall.catalog.demo import data, search_data
from servicehall.catalog.search import text

NAMES = [item["name"] + item["sub_item"] for d in data.DEPARTMENTS for item in d["items"]]
MATERIALS = [m["name"] for d in data.DEPARTMENTS for item in d["items"] for m in item["materials"]]
MAIN_NAMES = {item["name"] for d in data.DEPARTMENTS for item in d["items"]}


def test_at_least_thirty_colloquial_phrases_each_once():
    phrases = [phrase for phrase, _ in search_data.SYNONYMS]
    assert len(phrases) >= 30 and len(phrases) == len(set(phrases))


def test_every_catalog_term_of_a_synonym_names_a_demo_item_or_material():
    folded = ["".join(text.runs(name)) for name in NAMES + MATERIALS]
    for phrase, terms in search_data.SYNONYMS:
        for term in terms:
            words = text.runs(term)
            assert any(all(w in name for w in words) for name in folded), (phrase, term)


def test_keywords_belong_to_demo_items_and_are_short():
    assert set(search_data.KEYWORDS) <= MAIN_NAMES
    for words in search_data.KEYWORDS.values():
        assert all(1 <= len(w) <= 20 for w in words) and len(words) <= 20


def test_the_examples_of_the_issue_are_covered():
    synonyms = dict(search_data.SYNONYMS)
    assert "食品经营许可" in synonyms["开饭店"]
    assert "公司登记" in synonyms["开公司"]
    assert "出生登记" in synonyms["生小孩"] and "出生登记" in synonyms["上户口"]
    assert "办营业执照" in synonyms
