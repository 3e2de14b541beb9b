"""Rules for resident ID numbers and unified social credit codes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicehall.core.identifiers import (
    ID_NUMBER_RE,
    InvalidIdentifier,
    credit_code_check_char,
    id_number_check_char,
    is_valid_credit_code,
    is_valid_id_number,
    mask_credit_code,
    mask_id_number,
    mask_id_numbers_in_text,
    normalize_credit_code,
    normalize_id_number,
    validate_credit_code,
    validate_id_number,
)

# Valid ID numbers; check characters verified independently.
VALID_ID_X = "11010519491231002X"  # the classic GB 11643 example, check char X
VALID_ID = "110101199003070011"
VALID_ID_2 = "440308199901011234"
VALID_ID_3 = "310104198001010017"
VALID_IDS = [VALID_ID_X, VALID_ID, VALID_ID_2, VALID_ID_3]

# Valid unified social credit codes.
VALID_CREDIT = "91350100M000100Y43"  # the example from GB 32100-2015
VALID_CREDIT_2 = "91110000600037341L"
VALID_CREDIT_3 = "91440300192241158P"
VALID_CREDITS = [VALID_CREDIT, VALID_CREDIT_2, VALID_CREDIT_3]

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def reference_id_check(first17: str) -> str:
    """Independent, straight-from-the-standard computation used as an oracle."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def reference_credit_check(first17: str) -> str:
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def with_id_check(first17: str) -> str:
    return first17 + reference_id_check(first17)


def wrong_id_check(number: str) -> str:
    """Same number with a different (wrong) check character."""
    return number[:17] + ("0" if number[17] != "0" else "1")


# Strategies -----------------------------------------------------------------

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31))


@st.composite
def valid_id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.text(alphabet="123456789", min_size=1, max_size=1)) + draw(
        st.text(alphabet="0123456789", min_size=5, max_size=5)
    )
    birth = draw(birth_dates).strftime("%Y%m%d")
    sequence = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    return with_id_check(region + birth + sequence)


@st.composite
def valid_credit_codes(draw: st.DrawFn) -> str:
    head = draw(st.text(alphabet=CREDIT_CHARSET, min_size=2, max_size=2))
    division = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    body = draw(st.text(alphabet=CREDIT_CHARSET, min_size=9, max_size=9))
    first17 = head + division + body
    return first17 + reference_credit_check(first17)


# ID numbers: check character ---------------------------------------------------


@pytest.mark.parametrize("number", VALID_IDS)
def test_reference_id_numbers_are_accepted(number: str) -> None:
    assert validate_id_number(number) == number
    assert is_valid_id_number(number)


def test_classic_example_has_check_char_x() -> None:
    assert id_number_check_char("11010519491231002") == "X"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_id_check_char_matches_the_standard_formula(first17: str) -> None:
    assert id_number_check_char(first17) == reference_id_check(first17)


@pytest.mark.parametrize("number", VALID_IDS)
def test_id_number_with_wrong_check_digit_is_refused(number: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        validate_id_number(wrong_id_check(number))
    assert info.value.code == "id_number.check_digit"
    assert info.value.message == "身份证号码校验位错误"
    assert not is_valid_id_number(wrong_id_check(number))


@given(valid_id_numbers())
def test_generated_id_numbers_with_correct_check_char_are_accepted(number: str) -> None:
    assert validate_id_number(number) == number


@given(valid_id_numbers(), st.integers(min_value=0, max_value=16), digits)
def test_changing_any_single_digit_of_an_id_number_is_detected(
    number: str, position: int, digit: str
) -> None:
    # MOD 11-2 detects every single-character substitution.
    if number[position] == digit:
        return
    changed = number[:position] + digit + number[position + 1 :]
    assert id_number_check_char(changed[:17]) != changed[17]


def test_check_char_of_non_digits_is_refused() -> None:
    with pytest.raises(InvalidIdentifier):
        id_number_check_char("1101051949123100X")
    with pytest.raises(InvalidIdentifier):
        id_number_check_char("1234")


# ID numbers: structure ---------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["", "1101051949123100", "11010519491231002X1", "110105491231002"]
)
def test_id_number_with_wrong_length_is_refused(value: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        validate_id_number(value)
    assert info.value.code == "id_number.length"
    assert info.value.message == "身份证号码应为18位"


@pytest.mark.parametrize(
    "value",
    [
        "1101051949123100AX",  # letter among the first 17
        "11010519491231002Y",  # check char neither digit nor X
        "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",  # Arabic-Indic digits are not ASCII digits
    ],
)
def test_id_number_with_non_digit_characters_is_refused(value: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        validate_id_number(value)
    assert info.value.code == "id_number.format"


def test_id_number_with_region_starting_with_zero_is_refused() -> None:
    number = with_id_check("01010519491231002")
    with pytest.raises(InvalidIdentifier) as info:
        validate_id_number(number)
    assert info.value.code == "id_number.region"


@pytest.mark.parametrize("first_digit", list("123456789"))
def test_id_number_region_may_start_with_any_digit_from_1_to_9(first_digit: str) -> None:
    number = with_id_check(first_digit + "1010519491231002")
    assert is_valid_id_number(number)


@pytest.mark.parametrize(
    "birth",
    [
        "19490230",  # 30 February
        "19491301",  # month 13
        "19490001",  # month 0
        "19490100",  # day 0
        "19010229",  # 1901 is not a leap year
        "18991231",  # before 1900
        "00000000",
    ],
)
def test_id_number_with_impossible_birth_date_is_refused(birth: str) -> None:
    number = with_id_check("110105" + birth + "002")
    with pytest.raises(InvalidIdentifier) as info:
        validate_id_number(number)
    assert info.value.code == "id_number.birth_date"
    assert info.value.message == "出生日期无效"


def test_id_number_born_on_29_february_of_a_leap_year_is_accepted() -> None:
    assert is_valid_id_number(with_id_check("110105200002290" + "02"))


def test_id_number_born_on_1900_01_01_is_accepted() -> None:
    assert is_valid_id_number(with_id_check("11010519000101002"))


def test_id_number_born_in_the_future_is_refused() -> None:
    number = with_id_check("11010520990101002")
    with pytest.raises(InvalidIdentifier) as info:
        validate_id_number(number)
    assert info.value.code == "id_number.birth_date"


def test_id_number_born_today_is_accepted_but_tomorrow_is_refused() -> None:
    today = dt.date(2024, 6, 15)
    assert validate_id_number(with_id_check("11010520240615002"), today=today)
    with pytest.raises(InvalidIdentifier):
        validate_id_number(with_id_check("11010520240616002"), today=today)


def test_legacy_15_digit_id_number_is_refused() -> None:
    assert not is_valid_id_number("110105491231002")


def test_error_message_does_not_contain_the_submitted_number() -> None:
    with pytest.raises(InvalidIdentifier) as info:
        validate_id_number(wrong_id_check(VALID_ID))
    assert VALID_ID[:17] not in str(info.value)
    assert VALID_ID[:17] not in repr(info.value)


def test_invalid_identifier_is_a_value_error() -> None:
    assert issubclass(InvalidIdentifier, ValueError)


# ID numbers: normalization -----------------------------------------------------


def test_lower_case_x_is_normalized_to_upper_case() -> None:
    assert normalize_id_number("11010519491231002x") == VALID_ID_X
    assert validate_id_number("11010519491231002x") == VALID_ID_X


def test_spaces_around_and_inside_an_id_number_are_removed() -> None:
    assert validate_id_number("  110105 19491231 002X\t") == VALID_ID_X
    assert validate_id_number("\u3000110105\u300019491231002X\u3000") == VALID_ID_X


def test_full_width_digits_and_x_are_normalized_to_half_width() -> None:
    assert normalize_id_number("１１０１０５１９４９１２３１００２Ｘ") == VALID_ID_X
    assert normalize_id_number("１１０１０５１９４９１２３１００２ｘ") == VALID_ID_X
    assert validate_id_number("１１０１０５１９４９１２３１００２Ｘ") == VALID_ID_X


@given(valid_id_numbers())
def test_normalizing_an_id_number_is_idempotent(number: str) -> None:
    once = normalize_id_number(number.lower())
    assert normalize_id_number(once) == once


# Credit codes ------------------------------------------------------------------


@pytest.mark.parametrize("code", VALID_CREDITS)
def test_reference_credit_codes_are_accepted(code: str) -> None:
    assert validate_credit_code(code) == code
    assert is_valid_credit_code(code)


@given(st.text(alphabet=CREDIT_CHARSET, min_size=17, max_size=17))
def test_credit_check_char_matches_the_standard_formula(first17: str) -> None:
    assert credit_code_check_char(first17) == reference_credit_check(first17)


def test_credit_check_value_31_maps_to_zero() -> None:
    # Find a prefix whose weighted sum is a multiple of 31: "0" * 17 has sum 0.
    assert credit_code_check_char("0" * 17) == "0"


@given(valid_credit_codes())
def test_generated_credit_codes_with_correct_check_char_are_accepted(code: str) -> None:
    assert validate_credit_code(code) == code


@pytest.mark.parametrize("code", VALID_CREDITS)
def test_credit_code_with_wrong_check_char_is_refused(code: str) -> None:
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(InvalidIdentifier) as info:
        validate_credit_code(wrong)
    assert info.value.code == "credit_code.check_digit"
    assert info.value.message == "统一社会信用代码校验位错误"


@given(
    valid_credit_codes(),
    st.integers(min_value=0, max_value=16),
    st.sampled_from(CREDIT_CHARSET),
)
def test_changing_any_single_character_of_a_credit_code_is_detected(
    code: str, position: int, char: str
) -> None:
    if code[position] == char:
        return
    changed = code[:position] + char + code[position + 1 :]
    assert credit_code_check_char(changed[:17]) != changed[17]


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_credit_code_with_excluded_letters_is_refused(letter: str) -> None:
    code = "91350100M000100" + letter + "43"
    with pytest.raises(InvalidIdentifier) as info:
        validate_credit_code(code)
    assert info.value.code == "credit_code.charset"
    assert info.value.message == "统一社会信用代码含有非法字符"


@pytest.mark.parametrize("code", ["O1350100M000100Y43", "9I350100M000100Y43", "91350100M0001-0Y43"])
def test_credit_code_with_illegal_characters_anywhere_is_refused(code: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        validate_credit_code(code)
    assert info.value.code == "credit_code.charset"


@pytest.mark.parametrize("value", ["", "91350100M000100Y4", "91350100M000100Y431"])
def test_credit_code_with_wrong_length_is_refused(value: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        validate_credit_code(value)
    assert info.value.code == "credit_code.length"


def test_credit_code_with_letters_in_the_division_code_is_refused() -> None:
    first17 = "91A50100M000100Y4"
    code = first17 + credit_code_check_char(first17)
    with pytest.raises(InvalidIdentifier) as info:
        validate_credit_code(code)
    assert info.value.code == "credit_code.division"


def test_credit_code_is_normalized_to_upper_case_half_width_without_spaces() -> None:
    assert normalize_credit_code(" 91350100m000100y43 ") == VALID_CREDIT
    assert normalize_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == VALID_CREDIT
    assert normalize_credit_code("９１３５０１００ｍ０００１００ｙ４３") == VALID_CREDIT
    assert validate_credit_code("9135 0100 M000 100Y 43") == VALID_CREDIT


def test_credit_check_char_of_illegal_characters_is_refused() -> None:
    with pytest.raises(InvalidIdentifier):
        credit_code_check_char("91350100M000100I4")
    with pytest.raises(InvalidIdentifier):
        credit_code_check_char("913501")


# Masking -----------------------------------------------------------------------


def test_id_number_mask_keeps_first_four_and_last_four() -> None:
    assert mask_id_number("110101199003070019") == "1101**********0019"
    assert mask_id_number(VALID_ID_X) == "1101**********002X"


def test_legacy_15_digit_id_number_mask_keeps_first_four_and_last_four() -> None:
    assert mask_id_number("110105491231002") == "1101*******1002"


@pytest.mark.parametrize("value", ["", "1", "12345678"])
def test_short_values_are_masked_completely(value: str) -> None:
    assert mask_id_number(value) == "*" * len(value)
    assert mask_credit_code(value) == "*" * len(value)


def test_credit_code_mask_keeps_first_four_and_last_four() -> None:
    assert mask_credit_code(VALID_CREDIT) == "9135**********0Y43"


@given(valid_id_numbers())
def test_id_number_mask_hides_birth_date_and_keeps_length(number: str) -> None:
    masked = mask_id_number(number)
    assert len(masked) == 18
    assert masked[4:14] == "*" * 10
    assert number[6:14] not in masked


# Free-text detection -------------------------------------------------------------


def test_id_number_in_free_text_is_masked() -> None:
    text = f"申请人身份证号{VALID_ID_X}，联系电话13800138000"
    assert mask_id_numbers_in_text(text) == "申请人身份证号1101**********002X，联系电话13800138000"


def test_lower_case_x_id_number_in_free_text_is_masked() -> None:
    masked = mask_id_numbers_in_text(f"id={VALID_ID_X.lower()}")
    assert masked == "id=1101**********002X"


def test_several_id_numbers_in_free_text_are_all_masked() -> None:
    text = " / ".join(VALID_IDS)
    masked = mask_id_numbers_in_text(text)
    for number in VALID_IDS:
        assert number not in masked
    assert masked.count("**********") == len(VALID_IDS)


def test_id_number_candidates_with_wrong_check_digit_are_left_alone() -> None:
    text = f"order {wrong_id_check(VALID_ID)} shipped"
    assert mask_id_numbers_in_text(text) == text


def test_digits_runs_longer_than_an_id_number_are_left_alone() -> None:
    text = "x" + "9" + VALID_ID + "y"  # 19 digits: not an ID number
    assert mask_id_numbers_in_text(text) == text
    text = VALID_ID + "7"
    assert mask_id_numbers_in_text(text) == text


def test_id_number_pattern_requires_no_digit_neighbours() -> None:
    assert ID_NUMBER_RE.findall(f"a{VALID_ID}b") == [VALID_ID]
    assert ID_NUMBER_RE.findall(f"1{VALID_ID}") == []
    assert ID_NUMBER_RE.findall(f"{VALID_ID}1") == []
    assert isinstance(ID_NUMBER_RE, re.Pattern)


@given(valid_id_numbers(), st.text(max_size=20), st.text(max_size=20))
def test_valid_id_number_never_survives_text_masking(number: str, before: str, after: str) -> None:
    # Put a non-digit separator so the number is a standalone token.
    text = before + " " + number + " " + after
    assert number not in mask_id_numbers_in_text(text)


@given(st.text(alphabet=st.characters(blacklist_categories=["Nd"]), max_size=50))
def test_text_without_digits_is_unchanged(text: str) -> None:
    assert mask_id_numbers_in_text(text) == text
