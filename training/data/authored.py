"""Authored Indonesian data (training/data/authored/*.jsonl): strict reading and mapping to rows.

The folder is being filled while this code runs in builds, so it reads whatever
``client_*.jsonl``, ``counselor_*.jsonl`` and ``sessions_*.jsonl`` exist, and fails with every
problem listed as ``file:line: message``. Authored text is fictional and is not anonymised:
its phone numbers and addresses are what `shares_contact` must learn to see.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copilot.labels import CLIENT_RISK, COUNSELOR_FLAGS, SKILLS
from training.data.authored_schema import (
    check_client,
    check_counselor,
    check_session,
    session_warnings,
)
from training.data.example import Example
from training.data.splits import conversation_group, split_of, text_group

CLIENT_SOURCE = "authored_client"
COUNSELOR_SOURCE = "authored_counselor"
SESSION_SOURCE = "authored_sessions"
AUTHORED_SOURCES = (CLIENT_SOURCE, COUNSELOR_SOURCE, SESSION_SOURCE)
KIND_BY_PREFIX = {"client_": "client", "counselor_": "counselor", "sessions_": "sessions"}
_CHECKS = {"client": check_client, "counselor": check_counselor, "sessions": check_session}
MAX_LISTED_PROBLEMS = 200


class AuthoredDataError(ValueError):
    """Authored files are missing or break SCHEMA.md; the message lists file:line problems."""


@dataclass(frozen=True)
class AuthoredRecord:
    """One valid JSONL record and where it came from."""

    kind: str  # client | counselor | sessions
    file: str
    line: int
    rec: dict[str, Any]


@dataclass
class AuthoredData:
    """Every valid authored record, grouped by kind, plus non-fatal warnings."""

    files: list[Path]
    records: dict[str, list[AuthoredRecord]] = field(
        default_factory=lambda: {"client": [], "counselor": [], "sessions": []}
    )
    warnings: list[str] = field(default_factory=list)


def _kind_of(path: Path) -> str | None:
    return next((k for p, k in KIND_BY_PREFIX.items() if path.name.startswith(p)), None)


def read_authored(folder: Path, min_turns: int = 10, max_turns: int = 30) -> AuthoredData:
    """Read and validate every authored file; raise AuthoredDataError listing all problems."""
    if not folder.is_dir():
        raise AuthoredDataError(f"E201 authored data folder not found: {folder}")
    files = sorted(folder.glob("*.jsonl"))
    problems = [f"{p.name}: unexpected file name; use {sorted(KIND_BY_PREFIX)}<name>.jsonl"
                for p in files if _kind_of(p) is None]
    files = [p for p in files if _kind_of(p) is not None]
    if not files:
        raise AuthoredDataError(
            f"E202 no authored data in {folder}: expected client_*.jsonl, counselor_*.jsonl "
            "or sessions_*.jsonl (see SCHEMA.md)"
        )
    data = AuthoredData(files=files)
    seen_ids: dict[tuple[str, str], str] = {}
    for path in files:
        kind = _kind_of(path)
        assert kind is not None
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            where = f"{path.name}:{line_no}"
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(rec, dict):
                problems.append(f"{where}: a line must be one JSON object")
                continue
            found = _CHECKS[kind](rec)
            if found:
                problems.extend(f"{where}: {p}" for p in found)
                continue
            # Session ids and message ids live in different namespaces of the output.
            id_key = ("sessions" if kind == "sessions" else "message", rec["id"])
            if id_key in seen_ids:
                problems.append(f"{where}: id {rec['id']!r} already used at {seen_ids[id_key]}")
                continue
            seen_ids[id_key] = where
            data.records[kind].append(AuthoredRecord(kind, path.name, line_no, rec))
            if kind == "sessions":
                warns = session_warnings(rec, min_turns, max_turns)
                data.warnings.extend(f"{where} ({rec['id']}): {w}" for w in warns)
    if problems:
        listed = "\n  ".join(problems[:MAX_LISTED_PROBLEMS])
        more = len(problems) - MAX_LISTED_PROBLEMS
        tail = f"\n  ... and {more} more" if more > 0 else ""
        raise AuthoredDataError(
            f"E203 {len(problems)} problem(s) in authored data ({folder}):\n  {listed}{tail}"
        )
    return data


def _client_targets(labels: list[str]) -> dict[str, int]:
    return {label: int(label in labels) for label in CLIENT_RISK}


def _counselor_targets(labels: list[str]) -> dict[str, int]:
    return {label: int(label in labels) for label in COUNSELOR_FLAGS}


def to_examples(data: AuthoredData) -> list[Example]:
    """Client and counselor messages, then every session turn (grouped by session)."""
    rows: list[Example] = []
    for r in data.records["client"]:
        rec = r.rec
        rows.append(Example(
            id=rec["id"], source=CLIENT_SOURCE, lang="id", role="client", text=rec["text"].strip(),
            group=text_group(rec["text"]), risk=_client_targets(rec["labels"]),
            emotion=rec["emotion"], hard_negative=rec["hard_negative"], register=rec["register"],
        ))
    for r in data.records["counselor"]:
        rec = r.rec
        rows.append(Example(
            id=rec["id"], source=COUNSELOR_SOURCE, lang="id", role="counselor",
            text=rec["text"].strip(), group=text_group(rec["text"]),
            flags=_counselor_targets(rec["labels"]), skill=rec["skill"], register=rec["register"],
        ))
    for r in data.records["sessions"]:
        group = conversation_group(SESSION_SOURCE, r.rec["id"])
        for i, turn in enumerate(r.rec["turns"]):
            client = turn["role"] == "client"
            rows.append(Example(
                id=f"{r.rec['id']}#t{i:02d}", source=SESSION_SOURCE, lang="id", role=turn["role"],
                text=turn["text"].strip(), group=group,
                risk=_client_targets(turn["labels"]) if client else {},
                flags={} if client else _counselor_targets(turn["labels"]),
                skill=None if client else turn["skill"],
                emotion=turn["emotion"] if client else None,
            ))
    return rows


def to_session_rows(data: AuthoredData, ratios: dict[str, int]) -> list[dict[str, Any]]:
    """Whole sessions for suggestion, summary and review work, with the derived techniques."""
    rows = []
    for r in data.records["sessions"]:
        rec = r.rec
        group = conversation_group(SESSION_SOURCE, rec["id"])
        skills = Counter(t["skill"] for t in rec["turns"] if t["role"] == "counselor")
        turns = [{"index": i, "example_id": f"{rec['id']}#t{i:02d}", **t}
                 for i, t in enumerate(rec["turns"])]
        rows.append({
            "id": rec["id"],
            "source": SESSION_SOURCE,
            "file": r.file,
            "group": group,
            "split": split_of(group, ratios),
            "scenario": rec["scenario"],
            "turns": turns,
            # Guideline item 7 also asks for the techniques used; derived, never hand-written.
            "summary": {**rec["summary"], "teknik": {s: skills.get(s, 0) for s in SKILLS}},
        })
    return rows
