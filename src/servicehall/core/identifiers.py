"""Chinese identifiers: resident ID numbers and unified social credit codes.

Plain Python (no Django) so that it can be used from models, forms, the API
layer, the logging filter and scripts alike.

* Resident identity card number (居民身份证号码), GB 11643-1999: 17 digits
  followed by a check character computed with ISO 7064 MOD 11-2.
* Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters
  from a 31-character alphabet, the last one a check character (MOD 31).

Validation functions return the normalized value or raise
:class:`InvalidIdentifier`, whose ``message`` is Simplified Chinese text that
can be shown to citizens and whose ``code`` is a stable English slug.
Error messages never contain the submitted value.
"""

from __future__ import annotations

import datetime as _dt
import re

__all__ = [
    "CREDIT_CODE_CHARSET",
    "ID_NUMBER_RE",
    "InvalidIdentifier",
    "credit_code_check_char",
    "id_number_check_char",
    "is_valid_credit_code",
    "is_valid_id_number",
    "mask_credit_code",
    "mask_id_number",
    "mask_id_numbers_in_text",
    "normalize_credit_code",
    "normalize_id_number",
    "validate_credit_code",
    "validate_id_number",
]


class InvalidIdentifier(ValueError):
    """An identifier failed validation.

    ``code`` is a short English slug (e.g. ``"id_number.check_digit"``),
    ``message`` a Simplified Chinese explanation suitable for end users.
    """

    code: str
    message: str

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"InvalidIdentifier(code={self.code!r}, message={self.message!r})"


# --------------------------------------------------------------------------
# Normalization helpers
# --------------------------------------------------------------------------

# Full-width ASCII variants U+FF01..U+FF5E map to U+0021..U+007E; the
# ideographic space U+3000 maps to an ordinary space.
_FULLWIDTH_TO_HALFWIDTH: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TO_HALFWIDTH[0x3000] = 0x20

_WHITESPACE_RE = re.compile(r"\s+")


def _to_halfwidth_without_spaces(value: str) -> str:
    return _WHITESPACE_RE.sub("", value.translate(_FULLWIDTH_TO_HALFWIDTH))


# --------------------------------------------------------------------------
# Resident ID numbers (GB 11643-1999)
# --------------------------------------------------------------------------

_ID_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_MAP = "10X98765432"
_ID_MIN_BIRTH_DATE = _dt.date(1900, 1, 1)

_ID_FIRST17_RE = re.compile(r"[0-9]{17}")
_ID_SHAPE_RE = re.compile(r"[0-9]{17}[0-9X]")

#: Candidate 18-character ID numbers inside free text: 17 ASCII digits and a
#: digit or X/x, not preceded or followed by another ASCII digit.  Candidates
#: still need a check-digit test (see :func:`mask_id_numbers_in_text`).
ID_NUMBER_RE: re.Pattern[str] = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def normalize_id_number(value: str) -> str:
    """Remove whitespace, convert full-width digits/X to ASCII, upper-case x."""
    return _to_halfwidth_without_spaces(value).replace("x", "X")


def id_number_check_char(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits.

    Raises :class:`InvalidIdentifier` if ``first17`` is not 17 ASCII digits.
    """
    if not _ID_FIRST17_RE.fullmatch(first17):
        raise InvalidIdentifier("id_number.format", "身份证号码前17位应为数字")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_MAP[total % 11]


def validate_id_number(value: str, *, today: _dt.date | None = None) -> str:
    """Validate an 18-character resident ID number and return it normalized.

    Checks, in order: length, shape (17 digits + digit/X), region code (first
    digit 1-9), birth date (a real date between 1900-01-01 and ``today``),
    check character.  ``today`` defaults to :func:`datetime.date.today` and
    exists for tests.  Legacy 15-digit numbers are refused.
    """
    number = normalize_id_number(value)
    if len(number) != 18:
        raise InvalidIdentifier("id_number.length", "身份证号码应为18位")
    if not _ID_SHAPE_RE.fullmatch(number):
        raise InvalidIdentifier(
            "id_number.format", "身份证号码格式错误，前17位应为数字，末位应为数字或X"
        )
    if number[0] == "0":
        raise InvalidIdentifier("id_number.region", "身份证号码地区码无效")
    try:
        birth = _dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdentifier("id_number.birth_date", "出生日期无效") from None
    upper = today if today is not None else _dt.date.today()
    if not _ID_MIN_BIRTH_DATE <= birth <= upper:
        raise InvalidIdentifier("id_number.birth_date", "出生日期无效")
    if id_number_check_char(number[:17]) != number[17]:
        raise InvalidIdentifier("id_number.check_digit", "身份证号码校验位错误")
    return number


def is_valid_id_number(value: str) -> bool:
    """True if :func:`validate_id_number` accepts ``value``."""
    try:
        validate_id_number(value)
    except InvalidIdentifier:
        return False
    return True


# --------------------------------------------------------------------------
# Unified social credit codes (GB 32100-2015)
# --------------------------------------------------------------------------

#: The 31 characters allowed in a credit code (no I, O, Z, S, V).
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUES: dict[str, int] = {ch: i for i, ch in enumerate(CREDIT_CODE_CHARSET)}
_CREDIT_WEIGHTS: tuple[int, ...] = (
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
)  # fmt: skip
_DIVISION_RE = re.compile(r"[0-9]{6}")


def normalize_credit_code(value: str) -> str:
    """Remove whitespace, convert full-width characters to ASCII, upper-case."""
    return _to_halfwidth_without_spaces(value).upper()


def credit_code_check_char(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters.

    Raises :class:`InvalidIdentifier` if ``first17`` is not 17 characters of
    :data:`CREDIT_CODE_CHARSET`.
    """
    if len(first17) != 17:
        raise InvalidIdentifier("credit_code.length", "统一社会信用代码前17位长度错误")
    if any(ch not in _CREDIT_VALUES for ch in first17):
        raise InvalidIdentifier("credit_code.charset", "统一社会信用代码含有非法字符")
    pairs = zip(first17, _CREDIT_WEIGHTS, strict=True)
    total = sum(_CREDIT_VALUES[ch] * weight for ch, weight in pairs)
    check = 31 - total % 31
    return CREDIT_CODE_CHARSET[0 if check == 31 else check]


def validate_credit_code(value: str) -> str:
    """Validate a unified social credit code and return it normalized.

    Checks, in order: length, alphabet (all 18 characters, hence also the
    registration-authority and organisation-type characters), administrative
    division (characters 3-8 are digits), check character.
    """
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise InvalidIdentifier("credit_code.length", "统一社会信用代码应为18位")
    if any(ch not in _CREDIT_VALUES for ch in code):
        raise InvalidIdentifier("credit_code.charset", "统一社会信用代码含有非法字符")
    if not _DIVISION_RE.fullmatch(code[2:8]):
        raise InvalidIdentifier("credit_code.division", "统一社会信用代码行政区划码应为数字")
    if credit_code_check_char(code[:17]) != code[17]:
        raise InvalidIdentifier("credit_code.check_digit", "统一社会信用代码校验位错误")
    return code


def is_valid_credit_code(value: str) -> bool:
    """True if :func:`validate_credit_code` accepts ``value``."""
    try:
        validate_credit_code(value)
    except InvalidIdentifier:
        return False
    return True


# --------------------------------------------------------------------------
# Masking
# --------------------------------------------------------------------------


def _mask_keep_4_4(value: str) -> str:
    if len(value) < 9:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_id_number(value: str) -> str:
    """Mask an ID number for display, keeping the first 4 and last 4 characters.

    ``"11010519491231002X"`` -> ``"1101**********002X"``.  The value is
    normalized first (whitespace removed, full-width converted); values of
    fewer than 9 characters are masked completely.  No validation is done.
    """
    return _mask_keep_4_4(normalize_id_number(value))


def mask_credit_code(value: str) -> str:
    """Mask a credit code for display, keeping the first 4 and last 4 characters."""
    return _mask_keep_4_4(normalize_credit_code(value))


def _mask_match(match: re.Match[str]) -> str:
    candidate = match.group(0)
    if id_number_check_char(candidate[:17]) == candidate[17].upper():
        return mask_id_number(candidate)
    return candidate


def mask_id_numbers_in_text(text: str) -> str:
    """Mask every ID number in ``text`` whose check character is correct.

    Only the check character is tested (not region or birth date), so that
    masking errs on the side of hiding.  Numbers written with full-width
    digits or with spaces inside are not detected.
    """
    return ID_NUMBER_RE.sub(_mask_match, text)
