"""`copilot replay`: whole sessions in, alerts, suggestions, summary and review out, without a server.

Input: JSON Lines, one session per line: ``{"id", "turns": [{"role": "client"|"counselor",
"text", "at"?}]}`` (``at``: ISO 8601 time, optional, for response delays). Output: one line
per session: ``{"id", "alerts", "suggestions", "summary", "summary_sources", "review",
"degraded", "model"}``; message references are 0-based turn indices. A bad line gives an
error record ``{"id", "line", "error": {"code", "message"}}`` and the stream goes on.

It runs the code the service runs after each message: the analyzer on every message, alerts
from client risk flags, suggestions after every client message, then the summary draft and
the review. Nobody acknowledges alerts in a replay, so an alert counts as open until the
counselor has given all its required protocol steps.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import IO, TYPE_CHECKING

from copilot.labels import CLIENT_RISK, CRISIS, ROLES
from copilot.protocol_steps import open_at
from copilot.review import review_session
from copilot.session_summary import draft_summary, missing_mandatory
from copilot.transcript import RaisedAlert, Turn

if TYPE_CHECKING:
    from copilot.analyzer import Analyzer
    from copilot.suggest import Suggester

log = logging.getLogger(__name__)
VERSION = "replay/1"


class ReplayError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(f"{code} {message}")
        self.code, self.message = code, message


def parse_record(line: str) -> dict:
    """One input line as {"id", "turns"}; ReplayError says exactly what is wrong."""
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ReplayError("E400_JSON", f"not JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(rec, dict):
        raise ReplayError("E400_RECORD", 'a line must be a JSON object {"id", "turns"}')
    sid = rec.get("id")
    if not isinstance(sid, (str, int)) or isinstance(sid, bool) or sid == "":
        raise ReplayError("E400_ID", '"id" must be a non-empty string or an integer')
    turns = rec.get("turns")
    if not isinstance(turns, list) or not turns:
        raise ReplayError("E400_TURNS", '"turns" must be a non-empty list')
    for i, t in enumerate(turns):
        if not isinstance(t, dict):
            raise ReplayError("E400_TURN", f'turn {i} must be an object {{"role", "text"}}')
        if t.get("role") not in ROLES:
            raise ReplayError(
                "E400_TURN", f'turn {i}: "role" must be one of {list(ROLES)}, not {t.get("role")!r}'
            )
        if not isinstance(t.get("text"), str) or not t["text"].strip():
            raise ReplayError("E400_TURN", f'turn {i}: "text" must be a non-empty string')
        if t.get("at") is not None:
            try:
                datetime.fromisoformat(str(t["at"]))
            except ValueError:
                raise ReplayError("E400_TURN", f'turn {i}: "at" must be an ISO 8601 time') from None
    return rec


def analyse_turns(analyzer: Analyzer, raw: Sequence[dict]) -> list[Turn]:
    """Analyse a session's messages one at a time, as the service does when each arrives
    (the int8 model's scores shift slightly with what else is in a batch)."""
    turns = [
        Turn(
            i,
            t["role"],
            t["text"],
            at=datetime.fromisoformat(str(t["at"])) if t.get("at") else None,
        )
        for i, t in enumerate(raw)
    ]
    for t in turns:
        [t.analysis] = analyzer.analyze([t.text], t.role)
    return turns


def raised_alerts(turns: Sequence[Turn]) -> list[RaisedAlert]:
    return [
        RaisedAlert(label, t.index, label in CRISIS)
        for t in turns
        if t.role == "client"
        for label in t.flags
        if label in CLIENT_RISK
    ]


def replay_session(rec: dict, analyzer: Analyzer, suggester: Suggester | None) -> dict:
    """The output record for one parsed session."""
    turns = analyse_turns(analyzer, rec["turns"])
    alerts = raised_alerts(turns)
    out_alerts = []
    for t in turns:
        if t.role != "client":
            continue
        for label in t.flags:
            if label in CLIENT_RISK:
                out_alerts.append(
                    {
                        "label": label,
                        "turn": t.index,
                        "evidence": [
                            {"start": e.start, "end": e.end, "text": e.text, "origin": e.origin}
                            for e in t.analysis.evidence.get(label, [])
                        ],
                        "score": round(t.analysis.scores[label], 4)
                        if label in t.analysis.scores
                        else None,
                        "source": t.analysis.source,
                    }
                )
    suggestions = []
    if suggester is not None:
        for t in turns:
            if t.role == "client":
                so_far = turns[: t.index + 1]
                s = suggester.suggest(
                    so_far, open_at([a for a in alerts if a.turn <= t.index], so_far)
                )
                suggestions.append(
                    {
                        "turn": t.index,
                        "phase": s.phase,
                        "latency_ms": round(s.latency_ms, 2),
                        "items": [i.as_dict() for i in s.items],
                    }
                )
    encoder = getattr(analyzer, "encoder", None)
    draft = draft_summary(turns, alerts, encoder.embed if encoder is not None else None)
    values = draft.values()
    review = review_session(
        turns, alerts, {"drafted": True, "approved": False, "missing": missing_mandatory(values)}
    )
    info = analyzer.info()
    return {
        "id": rec["id"],
        "alerts": out_alerts,
        "suggestions": suggestions,
        "summary": values,
        "summary_sources": draft.sources(),
        "review": review,
        "degraded": bool(analyzer.degraded),
        "model": f"{info['name']} {info['version']}" if info.get("loaded") else None,
        "version": VERSION,
    }


def replay_stream(
    src: Iterable[str], out: IO[str], analyzer: Analyzer, suggester: Suggester | None
) -> int:
    """Replay every line of ``src`` into ``out``; returns how many lines gave an error record."""
    errors = 0
    for n, line in enumerate(src, 1):
        if not line.strip():
            continue
        sid = None
        try:
            rec = parse_record(line)
            sid = rec["id"]
            result = replay_session(rec, analyzer, suggester)
        except ReplayError as exc:
            errors += 1
            result = {
                "id": sid if sid is not None else _peek_id(line),
                "line": n,
                "error": {"code": exc.code, "message": exc.message},
            }
        except Exception as exc:  # one bad session must not end the stream
            log.exception("replay of line %d failed", n)
            errors += 1
            result = {
                "id": sid,
                "line": n,
                "error": {"code": "E500_REPLAY", "message": f"{type(exc).__name__}: {exc}"},
            }
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return errors


def _peek_id(line: str):
    try:
        rec = json.loads(line)
    except json.JSONDecodeError:
        return None
    sid = rec.get("id") if isinstance(rec, dict) else None
    return sid if isinstance(sid, (str, int)) and not isinstance(sid, bool) else None
