"""The Simplified Chinese catalog: complete, placeholder-safe, compiled, and really used."""

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale"
ZH_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
ZH_MO = ZH_PO.with_suffix(".mo")

# {name} (str.format), %(name)s / %(name)d (printf), {{ name }} (template, as written by hand).
PLACEHOLDER = re.compile(r"\{\{\s*\w+\s*\}\}|\{\w*\}|%\(\w+\)[sd]")


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(ZH_PO))


def _live(catalog):
    return [e for e in catalog if not e.obsolete]


def _translation(entry) -> str:
    return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr


def _placeholders(text: str) -> set[str]:
    return {re.sub(r"\s+", "", p) for p in PLACEHOLDER.findall(text)}


def test_header_declares_simplified_chinese(po):
    assert po.metadata["Language"] == "zh_Hans"
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert not po.metadata_is_fuzzy


def test_every_entry_is_translated(po):
    entries = _live(po)
    assert entries, "the catalog is empty"
    untranslated = [e.msgid for e in entries if not _translation(e).strip()]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:10]}"


def test_placeholders_are_preserved(po):
    wrong = []
    for e in _live(po):
        if e.msgid_plural:
            pairs = [(e.msgid_plural, text) for text in e.msgstr_plural.values()]
        else:
            pairs = [(e.msgid, e.msgstr)]
        for source, target in pairs:
            if _placeholders(source) != _placeholders(target):
                wrong.append((e.msgid, target))
    assert not wrong, wrong


def test_printf_strings_have_no_stray_percent_sign(po):
    """printf-style strings are formatted with a dict: a stray % raises at run time."""
    stray = re.compile(r"%(?!\(\w+\)[sd]|%)")
    broken = [e.msgid for e in _live(po)
              if "python-format" in e.flags and stray.search(_translation(e))]
    assert not broken, broken


def test_compiled_catalog_matches_the_po():
    """Run `manage.py compilemessages -l zh_Hans` after editing the .po."""
    assert ZH_MO.exists(), "compile the catalog: manage.py compilemessages -l zh_Hans"

    def as_dict(catalog):
        return {(e.msgctxt, e.msgid): _translation(e) for e in catalog
                if not e.obsolete and "fuzzy" not in e.flags and _translation(e)}

    po_messages = as_dict(polib.pofile(str(ZH_PO)))
    mo_messages = as_dict(polib.mofile(str(ZH_MO)))
    assert po_messages == mo_messages


def test_the_ui_renders_in_chinese():
    with translation.override("zh-hans"):
        assert translation.gettext("Service catalog") == "事项目录"
        assert translation.gettext("Some of the submitted data is invalid.") == "提交的数据有误。"
        assert translation.ngettext("%(n)s item", "%(n)s items", 3) % {"n": 3} == "共3项"
        assert translation.gettext("Wrong user name or password; {left} attempts left before "
                                   "the account is locked.").format(left=4) == (
            "用户名或密码错误,还可尝试4次,之后账号将被锁定。")
    with translation.override("en"):
        assert translation.gettext("Service catalog") == "Service catalog"
