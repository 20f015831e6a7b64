"""Authored files: strict validation with file:line errors, complete targets, no redaction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.labels import CLIENT_RISK, COUNSELOR_FLAGS
from training.data.authored import (
    AuthoredDataError,
    read_authored,
    to_examples,
    to_session_rows,
)

RATIOS = {"train": 80, "dev": 10, "test": 10}


def append(path: Path, *records: object) -> None:
    with path.open("a", encoding="utf-8") as fh:
        for r in records:
            fh.write((r if isinstance(r, str) else json.dumps(r)) + "\n")


def client(**kw: object) -> dict[str, object]:
    rec = {"id": "c-x-1", "text": "halo kak", "labels": [], "emotion": "netral",
           "hard_negative": False, "register": "informal"}
    rec.update(kw)
    return rec


def test_fixture_reads_and_maps(authored_copy: Path) -> None:
    data = read_authored(authored_copy)
    assert {k: len(v) for k, v in data.records.items()} == {"client": 6, "counselor": 4,
                                                             "sessions": 2}
    rows = to_examples(data)
    clients = [r for r in rows if r.source == "authored_client"]
    assert all(set(r.risk) == set(CLIENT_RISK) for r in clients)
    counselors = [r for r in rows if r.source == "authored_counselor"]
    assert all(set(r.flags) == set(COUNSELOR_FLAGS) and r.skill for r in counselors)
    turns = [r for r in rows if r.source == "authored_sessions"]
    assert len(turns) == 10 and {r.group for r in turns} == {
        "authored_sessions/s-t-001", "authored_sessions/s-t-002"}
    # Authored text is fictional: contacts stay, they are what shares_contact must learn.
    assert any("0812-3456-7890" in r.text for r in counselors)


def test_session_rows_derive_techniques(authored_copy: Path) -> None:
    sessions = to_session_rows(read_authored(authored_copy), RATIOS)
    assert sessions[1]["summary"]["teknik"] == {"open_question": 0, "closed_question": 1,
                                                "reflection": 0, "other": 2}
    assert sessions[0]["turns"][1]["example_id"] == "s-t-001#t01"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "c-x-1", "text": ', "client_bad.jsonl:2: invalid JSON"),
        (client(labels=["sad"]), "client_bad.jsonl:2: labels has unknown id(s) ['sad']"),
        (client(emotion="happy"), "emotion is 'happy'"),
        ({k: v for k, v in client().items() if k != "register"}, "missing field(s) ['register']"),
        (client(extra=1), "unknown field(s) ['extra']"),
        (client(labels=["suicidal"], hard_negative=True), "hard_negative is true but labels"),
        (client(text="  "), "text must be a non-empty string"),
    ],
)
def test_client_errors_name_file_and_line(authored_copy: Path, line: object, message: str) -> None:
    path = authored_copy / "client_bad.jsonl"
    append(path, client(id="c-ok"), line)
    with pytest.raises(AuthoredDataError, match="E203") as err:
        read_authored(authored_copy)
    assert message in str(err.value)


def test_duplicate_ids_across_files(authored_copy: Path) -> None:
    append(authored_copy / "client_more.jsonl", client(id="c-t-0001"))
    with pytest.raises(AuthoredDataError, match=r"client_test.jsonl:1: id 'c-t-0001' already used "
                                                r"at client_more.jsonl:1"):
        read_authored(authored_copy)


def test_session_errors(authored_copy: Path) -> None:
    good = json.loads((authored_copy / "sessions_test.jsonl").read_text().splitlines()[1])
    bad = json.loads(json.dumps(good))
    bad["id"] = "s-bad"
    bad["summary"]["risiko"][0]["turns"] = [1, 9]
    bad["turns"][2]["emotion"] = "cemas"  # a counselor turn has no emotion
    bad["summary"]["tindakan_rujukan"] = ["polisi"]
    append(authored_copy / "sessions_bad.jsonl", bad)
    with pytest.raises(AuthoredDataError) as err:
        read_authored(authored_copy)
    text = str(err.value)
    assert "sessions_bad.jsonl:1: turns[2]: unknown field(s) ['emotion']" in text
    assert "summary.risiko[0].turns [9] out of range 0..4" in text
    assert "summary.tindakan_rujukan has unknown id(s) ['polisi']" in text


def test_inconsistent_summary_is_a_warning(authored_copy: Path) -> None:
    first = json.loads((authored_copy / "sessions_test.jsonl").read_text().splitlines()[0])
    first["id"] = "s-warn"
    first["summary"]["risiko"] = [{"label": "kdrt", "turns": [1]}]
    append(authored_copy / "sessions_warn.jsonl", first)
    data = read_authored(authored_copy)
    assert any("s-warn" in w and "'kdrt' cites turns [1], none of which has it" in w
               for w in data.warnings)
    assert any("5 turns, outside 10-30" in w for w in data.warnings)


def test_missing_empty_and_misnamed(tmp_path: Path) -> None:
    with pytest.raises(AuthoredDataError, match="E201"):
        read_authored(tmp_path / "nope")
    (tmp_path / "SCHEMA.md").write_text("x")
    with pytest.raises(AuthoredDataError, match="E202"):
        read_authored(tmp_path)
    append(tmp_path / "klien_a.jsonl", client())
    append(tmp_path / "client_a.jsonl", client())
    with pytest.raises(AuthoredDataError, match="klien_a.jsonl: unexpected file name"):
        read_authored(tmp_path)
