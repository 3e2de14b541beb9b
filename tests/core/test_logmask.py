"""Rules for masking ID numbers in log output."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicehall.core.logmask import MaskIdentifiersFilter

ID_NUMBER = "11010519491231002X"
MASKED = "1101**********002X"
OTHER_ID = "110101199003070011"
NOT_AN_ID = "110101199003070019"  # wrong check digit


class Capture:
    def __init__(self, logger: logging.Logger, stream: io.StringIO) -> None:
        self.logger = logger
        self.stream = stream

    @property
    def output(self) -> str:
        return self.stream.getvalue()


@pytest.fixture
def capture(request: pytest.FixtureRequest) -> Iterator[Capture]:
    logger = logging.getLogger(f"servicehall.tests.logmask.{request.node.name}")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(MaskIdentifiersFilter())
    logger.addHandler(handler)
    try:
        yield Capture(logger, stream)
    finally:
        logger.removeHandler(handler)


def test_id_number_in_the_message_is_masked(capture: Capture) -> None:
    capture.logger.info(f"applicant {ID_NUMBER} registered")
    assert ID_NUMBER not in capture.output
    assert f"applicant {MASKED} registered" in capture.output


def test_id_number_in_positional_args_is_masked(capture: Capture) -> None:
    capture.logger.warning("applicant %s registered at window %d", ID_NUMBER, 7)
    assert ID_NUMBER not in capture.output
    assert f"applicant {MASKED} registered at window 7" in capture.output


def test_id_number_in_mapping_args_is_masked(capture: Capture) -> None:
    capture.logger.error("applicant %(id)s, agent %(agent)s", {"id": ID_NUMBER, "agent": OTHER_ID})
    assert ID_NUMBER not in capture.output
    assert OTHER_ID not in capture.output
    assert f"applicant {MASKED}, agent 1101**********0011" in capture.output


def test_lower_case_x_id_number_is_masked(capture: Capture) -> None:
    capture.logger.info("id=%s", ID_NUMBER.lower())
    assert ID_NUMBER.lower() not in capture.output
    assert MASKED in capture.output


def test_id_number_split_between_msg_and_args_is_masked(capture: Capture) -> None:
    capture.logger.info("id=110105%s", ID_NUMBER[6:])
    assert ID_NUMBER not in capture.output
    assert MASKED in capture.output


def test_number_with_wrong_check_digit_is_logged_unchanged(capture: Capture) -> None:
    capture.logger.info("order %s", NOT_AN_ID)
    assert NOT_AN_ID in capture.output


def test_record_without_id_numbers_keeps_its_template_and_args() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "order %s", (NOT_AN_ID,), None)
    assert MaskIdentifiersFilter().filter(record) is True
    assert record.msg == "order %s"
    assert record.args == (NOT_AN_ID,)


def test_record_with_an_id_number_is_rewritten_to_the_masked_message() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "id %s", (ID_NUMBER,), None)
    assert MaskIdentifiersFilter().filter(record) is True
    assert record.msg == f"id {MASKED}"
    assert record.args == ()
    assert record.getMessage() == f"id {MASKED}"


def test_filter_never_drops_records(capture: Capture) -> None:
    capture.logger.debug("plain message")
    capture.logger.info("id %s", ID_NUMBER)
    assert "plain message" in capture.output
    assert MASKED in capture.output


def test_non_string_message_containing_an_id_number_is_masked(capture: Capture) -> None:
    capture.logger.info({"id_number": ID_NUMBER})
    assert ID_NUMBER not in capture.output
    assert MASKED in capture.output


def test_message_with_percent_signs_and_no_args_is_left_alone(capture: Capture) -> None:
    capture.logger.info(f"100% done for {ID_NUMBER}")
    assert capture.output.strip() == f"INFO 100% done for {MASKED}"


def test_broken_format_string_does_not_raise_and_does_not_leak() -> None:
    # logging reports such records via Handler.handleError, which prints
    # record.msg and record.args to stderr: both must be masked.
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "id %s and %s", (ID_NUMBER,), None)
    assert MaskIdentifiersFilter().filter(record) is True
    assert record.msg == "id %s and %s"
    assert record.args == (MASKED,)
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "id %(a)s %(b)s", ({"a": ID_NUMBER},), None
    )
    assert MaskIdentifiersFilter().filter(record) is True
    assert record.args == {"a": MASKED}


def test_broken_format_string_in_msg_itself_is_masked() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, f"id {ID_NUMBER} %s %s", ("one",), None
    )
    assert MaskIdentifiersFilter().filter(record) is True
    assert record.msg == f"id {MASKED} %s %s"


def test_arg_whose_str_raises_does_not_break_logging(capture: Capture) -> None:
    class Broken:
        def __str__(self) -> str:
            raise RuntimeError("boom")

    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "id %s %s", (ID_NUMBER, Broken()), None
    )
    assert MaskIdentifiersFilter().filter(record) is True
    assert isinstance(record.args, tuple)
    assert record.args[0] == MASKED


def test_filter_attached_to_a_logger_masks_its_own_records() -> None:
    logger = logging.getLogger("servicehall.tests.logmask.logger_level")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    mask = MaskIdentifiersFilter()
    logger.addFilter(mask)
    try:
        logger.info("id %s", ID_NUMBER)
    finally:
        logger.removeFilter(mask)
        logger.removeHandler(handler)
    assert ID_NUMBER not in stream.getvalue()
    assert MASKED in stream.getvalue()


def test_filter_can_be_built_without_arguments_for_dict_config() -> None:
    # dictConfig itself is not exercised here: it closes every existing handler.
    mask = MaskIdentifiersFilter()
    assert isinstance(mask, logging.Filter)
    record = logging.LogRecord("any.logger", logging.INFO, __file__, 1, ID_NUMBER, (), None)
    assert mask.filter(record) is True
    assert record.msg == MASKED


@given(st.text(max_size=30), st.text(max_size=30))
def test_valid_id_number_never_reaches_the_output(before: str, after: str) -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "%s %s %s", (before, ID_NUMBER, after), None
    )
    MaskIdentifiersFilter().filter(record)
    assert ID_NUMBER not in logging.Formatter("%(message)s").format(record)
