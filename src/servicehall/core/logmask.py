"""Logging filter that masks resident ID numbers before records are emitted.

Attach it to *handlers* (``"filters": ["mask_identifiers"]`` in the handler's
dictConfig entry): filters on a logger do not see records propagated from
its child loggers.

Only the message (``msg`` % ``args``) is masked.  Exception tracebacks,
``stack_info`` and ``extra`` attributes are not touched.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from servicehall.core.identifiers import mask_id_numbers_in_text

__all__ = ["MaskIdentifiersFilter"]


def _mask_value(value: Any) -> Any:
    return mask_id_numbers_in_text(value) if isinstance(value, str) else value


class MaskIdentifiersFilter(logging.Filter):
    """Mask ID numbers with a valid check character in the log message.

    The message is formatted with ``record.getMessage()`` and masked; only
    if something was masked are ``record.msg`` replaced by the masked text
    and ``record.args`` cleared, so records without ID numbers keep their
    message template (useful for error-tracking grouping).  Always returns
    True: records are never dropped.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a filter must never raise into the caller
            # msg % args is broken (or an arg's __str__ raised); the handler will
            # report it via handleError, which prints msg and args, so mask those.
            record.msg = _mask_value(record.msg)
            if isinstance(record.args, Mapping):
                record.args = {key: _mask_value(val) for key, val in record.args.items()}
            elif isinstance(record.args, tuple):
                record.args = tuple(_mask_value(val) for val in record.args)
            return True
        masked = mask_id_numbers_in_text(message)
        if masked != message:
            record.msg = masked
            record.args = ()
        return True
