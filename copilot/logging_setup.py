"""Structured logs (one JSON object a line) with personal data redacted (guideline 1.1).

Every record's message, arguments, exception text and extra fields go through
`copilot.pii.redact` before they are written, so a phone number, e-mail, NIK, address or
handle that slips into a log line comes out as `<PHONE>`, `<EMAIL>`, ... Message text is
never logged on purpose; this is the safety net for what slips through.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from copilot.pii import redact

_STD_ATTRS = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


def _clean(value: object) -> object:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, int | float | bool) or value is None:
        return value
    return redact(str(value))


class RedactingFilter(logging.Filter):
    """Render the message, redact it, and drop the raw arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            msg = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            msg = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact(msg), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        record.exc_info = None  # the redacted exc_text replaces the raw traceback
        for k, v in list(record.__dict__.items()):
            if k not in _STD_ATTRS:
                record.__dict__[k] = _clean(v)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for k, v in record.__dict__.items():
            if k not in _STD_ATTRS and not k.startswith("_"):
                out[k] = v
        if record.exc_text:
            out["exc"] = record.exc_text
        return json.dumps(out, ensure_ascii=False, default=str)


def configure(level: str = "INFO", json_lines: bool = True, stream=None) -> logging.Handler:  # noqa: ANN001
    """Route every logger (uvicorn's included) through one redacting handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        lg = logging.getLogger(name)
        lg.handlers.clear()
        lg.propagate = True
    # The service writes its own access line (route template, no query string).
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    return handler
