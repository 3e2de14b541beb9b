"""How the guide's search reads Chinese: pure Python, no database."""

from servicehall.catalog.search import text


def test_chinese_is_indexed_as_bigrams_plus_the_last_character_of_each_run():
    assert text.index_tokens("食品经营许可") == "食品 品经 经营 营许 许可 可"
    assert text.index_tokens("食品。经营") == "食品 品 经营 营"


def test_latin_and_full_width_letters_are_folded_to_one_lowercase_word():
    assert text.index_tokens("ＫＴＶ、APEC商务卡 2026") == "ktv apec 商务 务卡 卡 2026"


def test_a_chinese_word_becomes_a_phrase_of_its_bigrams_and_one_character_a_prefix():
    query = text.parse_query("经营许可 证")
    assert query.fts5() == '("经营 营许 许可" AND "证"*)'
    assert query.tsquery() == "(('经营' <-> '营许' <-> '许可') & '证':*)"


def test_a_colloquial_phrase_inside_the_query_adds_each_catalog_term_as_an_alternative():
    query = text.parse_query("开饭店", [("开饭店", ["食品经营许可", "餐饮服务"]),
                                     ("开公司", ["公司登记"])])
    assert [[t.text for t in a.terms] for a in query.alternatives] == [
        ["开饭店"], ["食品经营许可"], ["餐饮服务"]]
    assert query.synonyms_used == [("开饭店", "食品经营许可"), ("开饭店", "餐饮服务")]
    assert query.synonym_groups == [("开饭店", "食品经营许可、餐饮服务")]
    assert query.words == ["食品经营许可", "餐饮服务", "开饭店"]


def test_question_words_split_the_query():
    assert [t.text for t in text.parse_query("我想开个饭店").alternatives[0].terms] == ["开个饭店"]


def test_quotes_operators_and_sql_never_reach_the_engine():
    for hostile in ['"', "' OR 1=1; --", "食品\" OR \"*", "NEAR(a b)", "%_\\", "a:b^c", ")))"]:
        query = text.parse_query(hostile)
        for expression in (query.fts5(), query.tsquery()):
            assert ";" not in expression and "--" not in expression and "\\" not in expression
        for alternative in query.alternatives:
            assert all(t.text.isalnum() for t in alternative.terms)
    assert not text.parse_query("“”!?。,、*")


def test_the_fallback_tries_the_bigrams_of_longer_words():
    relaxed = text.relaxed(text.parse_query("开个饭店"))
    assert [a.terms[0].text for a in relaxed.alternatives] == ["开个", "个饭", "饭店"]
    assert not text.relaxed(text.parse_query("饭店"))


def test_marks_every_searched_word_longest_first():
    assert text.mark("食品经营许可(餐饮服务)", ["食品经营许可", "食品"]) == [
        ("食品经营许可", True), ("(餐饮服务)", False)]
    assert text.mark("Apply KTV", ["ktv"]) == [("Apply ", False), ("KTV", True)]


def test_a_snippet_shows_the_text_around_the_first_match():
    body = "申请书\n营业执照复印件\n" + "很长的条件" * 20 + "出生医学证明"
    assert text.snippet(body, ["出生医学证明"]).endswith("出生医学证明")
    assert text.snippet(body, ["没有"]) == ""
