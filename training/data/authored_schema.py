"""Strict checks of authored records against training/data/authored/SCHEMA.md.

Each check returns a list of problems (empty when the record is valid), so a build can report
every bad line of every file at once instead of stopping at the first. Problems that break the
format are errors; `session_warnings` returns softer consistency findings (a summary risk whose
turns do not carry the label) that are reported in the manifest but do not fail the build.
"""

from __future__ import annotations

from typing import Any

from copilot.labels import CLIENT_RISK, COUNSELOR_FLAGS, EMOTIONS, REFERRALS, ROLES, SKILLS
from training.data.example import REGISTERS

CLIENT_KEYS = {"id", "text", "labels", "emotion", "hard_negative", "register"}
COUNSELOR_KEYS = {"id", "text", "labels", "skill", "register"}
OPTIONAL_KEYS = {"note"}
SESSION_KEYS = {"id", "scenario", "turns", "summary"}
SUMMARY_TEXT_KEYS = {
    "nama_panggilan",
    "bahasa",
    "topik",
    "keluhan_utama",
    "kondisi_emosi",
    "rencana_tindak_lanjut",
}
SUMMARY_KEYS = SUMMARY_TEXT_KEYS | {"risiko", "tindakan_rujukan"}


def _keys(rec: dict[str, Any], required: set[str], optional: set[str], where: str) -> list[str]:
    problems = []
    missing = sorted(required - rec.keys())
    unknown = sorted(rec.keys() - required - optional)
    if missing:
        problems.append(f"{where}missing field(s) {missing}")
    if unknown:
        problems.append(f"{where}unknown field(s) {unknown}")
    return problems


def _text(value: Any, field: str) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return [f"{field} must be a non-empty string"]
    return []


def _labels(value: Any, allowed: tuple[str, ...], field: str = "labels") -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return [f"{field} must be a list of label ids"]
    problems = []
    unknown = [v for v in value if v not in allowed]
    if unknown:
        problems.append(f"{field} has unknown id(s) {unknown}; allowed: {list(allowed)}")
    if len(set(value)) != len(value):
        problems.append(f"{field} repeats a label: {value}")
    return problems


def _one_of(value: Any, allowed: tuple[str, ...], field: str) -> list[str]:
    if value not in allowed:
        return [f"{field} is {value!r}; must be one of {list(allowed)}"]
    return []


def check_client(rec: dict[str, Any]) -> list[str]:
    """Problems of one `client_*.jsonl` record."""
    problems = _keys(rec, CLIENT_KEYS, OPTIONAL_KEYS, "")
    problems += _text(rec.get("id"), "id") + _text(rec.get("text"), "text")
    problems += _labels(rec.get("labels"), CLIENT_RISK)
    problems += _one_of(rec.get("emotion"), EMOTIONS, "emotion")
    problems += _one_of(rec.get("register"), REGISTERS, "register")
    if not isinstance(rec.get("hard_negative"), bool):
        problems.append("hard_negative must be true or false")
    elif rec["hard_negative"] and rec.get("labels"):
        problems.append("hard_negative is true but labels is not empty (only label-free messages)")
    if "note" in rec and not isinstance(rec["note"], str):
        problems.append("note must be a string")
    return problems


def check_counselor(rec: dict[str, Any]) -> list[str]:
    """Problems of one `counselor_*.jsonl` record."""
    problems = _keys(rec, COUNSELOR_KEYS, OPTIONAL_KEYS, "")
    problems += _text(rec.get("id"), "id") + _text(rec.get("text"), "text")
    problems += _labels(rec.get("labels"), COUNSELOR_FLAGS)
    problems += _one_of(rec.get("skill"), SKILLS, "skill")
    problems += _one_of(rec.get("register"), REGISTERS, "register")
    if "note" in rec and not isinstance(rec["note"], str):
        problems.append("note must be a string")
    return problems


def _check_turn(turn: Any, i: int) -> list[str]:
    where = f"turns[{i}]: "
    if not isinstance(turn, dict):
        return [f"{where}must be an object"]
    role = turn.get("role")
    if role not in ROLES:
        return [f"{where}role is {role!r}; must be one of {list(ROLES)}"]
    if role == "client":
        problems = _keys(turn, {"role", "text", "labels", "emotion"}, set(), where)
        problems += [where + p for p in _labels(turn.get("labels"), CLIENT_RISK)]
        problems += [where + p for p in _one_of(turn.get("emotion"), EMOTIONS, "emotion")]
    else:
        problems = _keys(turn, {"role", "text", "labels", "skill"}, set(), where)
        problems += [where + p for p in _labels(turn.get("labels"), COUNSELOR_FLAGS)]
        problems += [where + p for p in _one_of(turn.get("skill"), SKILLS, "skill")]
    return problems + [where + p for p in _text(turn.get("text"), "text")]


def _check_summary(summary: Any, n_turns: int) -> list[str]:
    if not isinstance(summary, dict):
        return ["summary must be an object"]
    problems = _keys(summary, SUMMARY_KEYS, set(), "summary: ")
    for key in sorted(SUMMARY_TEXT_KEYS & summary.keys()):
        if not isinstance(summary[key], str):
            problems.append(f"summary.{key} must be a string")
    risks = summary.get("risiko", [])
    if not isinstance(risks, list):
        return problems + ["summary.risiko must be a list"]
    for j, risk in enumerate(risks):
        where = f"summary.risiko[{j}]"
        if not isinstance(risk, dict) or set(risk) != {"label", "turns"}:
            problems.append(f"{where} must be {{'label': ..., 'turns': [...]}}")
            continue
        problems += _one_of(risk["label"], CLIENT_RISK, f"{where}.label")
        turns = risk["turns"]
        if not isinstance(turns, list) or not turns or not all(isinstance(t, int) for t in turns):
            problems.append(f"{where}.turns must be a non-empty list of turn indices")
        elif bad := [t for t in turns if not 0 <= t < n_turns]:
            problems.append(f"{where}.turns {bad} out of range 0..{n_turns - 1}")
    problems += _labels(summary.get("tindakan_rujukan", []), REFERRALS, "summary.tindakan_rujukan")
    return problems


def check_session(rec: dict[str, Any]) -> list[str]:
    """Problems of one `sessions_*.jsonl` record."""
    problems = _keys(rec, SESSION_KEYS, set(), "")
    problems += _text(rec.get("id"), "id") + _text(rec.get("scenario"), "scenario")
    turns = rec.get("turns")
    if not isinstance(turns, list) or not turns:
        return problems + ["turns must be a non-empty list"]
    for i, turn in enumerate(turns):
        problems += _check_turn(turn, i)
    return problems + _check_summary(rec.get("summary"), len(turns))


def session_warnings(rec: dict[str, Any], min_turns: int, max_turns: int) -> list[str]:
    """Consistency findings of a valid session that do not break the format."""
    warnings = []
    turns = rec["turns"]
    if not min_turns <= len(turns) <= max_turns:
        warnings.append(f"{len(turns)} turns, outside {min_turns}-{max_turns}")
    turn_labels = {label for t in turns for label in t["labels"]}
    for risk in rec["summary"]["risiko"]:
        label = risk["label"]
        if not any(label in turns[t]["labels"] for t in risk["turns"]):
            cited = risk["turns"]
            warnings.append(f"summary risk {label!r} cites turns {cited}, none of which has it")
    listed = {r["label"] for r in rec["summary"]["risiko"]}
    unlisted = sorted((turn_labels & set(CLIENT_RISK)) - listed)
    if unlisted:
        warnings.append(f"turn labels {unlisted} missing from summary.risiko")
    return warnings
