"""`copilot analyze`: JSON Lines in, one JSON line of analysis per input line out."""

from __future__ import annotations

import json
import sys
from typing import IO

from copilot.analyzer import Analyzer

BATCH = 64


def _parse(line: str, lineno: int) -> tuple[object, str]:
    obj = json.loads(line)
    if not isinstance(obj, dict):
        raise ValueError("each line must be a JSON object")
    if "text" not in obj or not isinstance(obj["text"], str):
        raise ValueError("field 'text' is required and must be a string")
    return obj.get("id", lineno), obj["text"]


def analyze_stream(analyzer: Analyzer, role: str, src: IO[str], dst: IO[str], err: IO[str] = sys.stderr) -> int:
    """Analyse every line; a malformed line yields an error record in its place. Returns #errors."""
    errors = 0
    pending: list[tuple[int, object, str]] = []
    out: dict[int, dict] = {}
    next_to_write = 1

    def flush() -> None:
        nonlocal next_to_write
        if pending:
            res = analyzer.analyze([t for _, _, t in pending], role, ids=[i for _, i, _ in pending])
            for (ln, _, _), a in zip(pending, res):
                out[ln] = a.to_line()
            pending.clear()
        while next_to_write in out:
            dst.write(json.dumps(out.pop(next_to_write), ensure_ascii=False) + "\n")
            next_to_write += 1

    lineno = 0
    for lineno, line in enumerate(src, start=1):
        if not line.strip():
            out[lineno] = {"id": None, "line": lineno, "error": "empty line"}
            errors += 1
            continue
        try:
            mid, text = _parse(line, lineno)
        except (json.JSONDecodeError, ValueError) as exc:
            out[lineno] = {"id": None, "line": lineno, "error": str(exc)}
            err.write(f"line {lineno}: {exc}\n")
            errors += 1
            continue
        pending.append((lineno, mid, text))
        if len(pending) >= BATCH:
            flush()
    flush()
    return errors
