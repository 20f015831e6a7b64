"""Supervisor review of a session, a counselor's sessions over time, and the triage list.

Metrics (issue 7, item 3), each traceable to messages:
* skills: share of open questions among questions (guideline 4.4) and the reflection-to-question
  ratio against the MITI 4.2 thresholds (>= 1 fair, >= 2 good);
* counselor flags: judgmental, imposes_beliefs, shares_contact, off_platform, with their turns;
* the opening checklist (guideline 3.2-3.4);
* protocol adherence per alerted risk: which required steps were given and after how many
  counselor turns;
* handling of abusive clients (guideline 10): calm talk first, ending only after repeated abuse;
* summary drafted / approved, response delays when the messages carry times.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from statistics import median

from copilot import opening_checklist, protocol_steps, rewording
from copilot.labels import COUNSELOR_FLAGS, CRISIS
from copilot.skill_rules import guess_skill
from copilot.transcript import RaisedAlert, Turn

VERSION = "review/1"
MITI_FAIR, MITI_GOOD = 1.0, 2.0  # MITI 4.2 reflection-to-question thresholds
QUESTIONS = ("open_question", "closed_question")

# Triage weights: a missed crisis step outweighs everything; style issues add up slowly.
W_CRISIS_UNADDRESSED = 10.0  # crisis alert with none of its required steps given
W_CRISIS_STEP_MISSING = 3.0  # each required crisis step not given
W_OTHER_STEP_MISSING = 1.0
W_FLAG = {"judgmental": 2.0, "imposes_beliefs": 2.0, "shares_contact": 4.0, "off_platform": 4.0}
W_OPENING_ITEM = 0.5
W_LOW_RQ = 1.0
W_PREMATURE_END = 2.0
W_SUMMARY_NOT_APPROVED = 1.0
W_SLOW_RESPONSE = 1.0
SLOW_P90_S = 180.0


def _skill(t: Turn) -> tuple[str, str]:
    if t.skill is not None:
        return t.skill, "skill_head"
    return guess_skill(t.text), "rules"


def _counselor_flags(t: Turn) -> list[str]:
    flags = [f for f in t.flags if f in COUNSELOR_FLAGS]
    if (
        t.analysis is None or t.analysis.degraded
    ):  # no model: the lint's rules stand in, as in the service lint
        flags += [
            lab
            for lab in dict.fromkeys(p.label for p in rewording.find_phrases(t.text))
            if lab not in flags
        ]
    return flags


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def miti_level(rq: float | None) -> str | None:
    if rq is None:
        return None
    return "good" if rq >= MITI_GOOD else "fair" if rq >= MITI_FAIR else "below"


def review_session(
    turns: Sequence[Turn], alerts: Sequence[RaisedAlert] = (), summary: dict | None = None
) -> dict:
    """Every review metric of one session. ``summary``: {"drafted", "approved", "missing"} when known."""
    by_index = {t.index: t for t in turns}
    ref = lambda i: by_index[i].ref if i in by_index else i  # noqa: E731
    counselor = [t for t in turns if t.role == "counselor"]
    skills: Counter = Counter()
    sources = set()
    flag_turns: dict[str, list] = {f: [] for f in COUNSELOR_FLAGS}
    for t in counselor:
        s, src = _skill(t)
        skills[s] += 1
        sources.add(src)
        for f in _counselor_flags(t):
            flag_turns[f].append(t.ref)
    q = skills["open_question"] + skills["closed_question"]
    rq = _ratio(skills["reflection"], q)
    opening = opening_checklist.opening_status(turns)
    out = {
        "version": VERSION,
        "counselor_messages": len(counselor),
        "client_messages": sum(t.role == "client" for t in turns),
        "skills": {
            k: skills[k] for k in ("open_question", "closed_question", "reflection", "other")
        },
        "skill_source": "skill_head"
        if sources == {"skill_head"}
        else ("rules" if sources else None),
        "open_question_share": _ratio(skills["open_question"], q),
        "reflection_to_question": rq,
        "miti_rq_level": miti_level(rq),
        "flags": {f: len(v) for f, v in flag_turns.items()},
        "flag_turns": flag_turns,
        "opening": {
            "items": {i: (ref(v) if v is not None else None) for i, v in opening.turns.items()},
            "missing": opening.missing,
            "completion": opening.as_dict()["completion"],
        },
        "protocol": protocol_adherence(turns, alerts),
        "abusive": abusive_handling(turns, alerts),
        "summary": summary,
        "response_delays": response_delays(turns),
        "degraded": any(t.analysis is None or t.analysis.degraded for t in turns),
    }
    return out


def protocol_adherence(turns: Sequence[Turn], alerts: Sequence[RaisedAlert]) -> list[dict]:
    """For each alerted risk label: required steps, when each was given, and the delay to the first."""
    by_index = {t.index: t for t in turns}
    out = []
    for label in dict.fromkeys(a.label for a in sorted(alerts, key=lambda a: a.turn)):
        at = sorted(a.turn for a in alerts if a.label == label)
        given = protocol_steps.steps_given(turns, after=at[0])
        required = protocol_steps.REQUIRED[label]
        done = {s: given[s] for s in required if s in given}
        first = min(done.values(), default=None)
        delay = None
        if first is not None:
            delay = sum(1 for t in turns if t.role == "counselor" and at[0] < t.index <= first)
        outcomes = [a.outcome for a in alerts if a.label == label]
        out.append(
            {
                "label": label,
                "crisis": label in CRISIS,
                "alert_turns": [by_index[i].ref if i in by_index else i for i in at],
                "required": list(required),
                "given": {s: (by_index[i].ref if i in by_index else i) for s, i in done.items()},
                "missing": [s for s in required if s not in done],
                "turns_to_first_step": delay,
                "complete": len(done) == len(required),
                # The counselor assessed every alert of this label as no current risk: the
                # missing steps were a judgement, not an omission (triage does not count them).
                "ruled_out": bool(outcomes) and all(o == "no_current_risk" for o in outcomes),
            }
        )
    return out


def abusive_handling(turns: Sequence[Turn], alerts: Sequence[RaisedAlert]) -> dict | None:
    """Guideline 10: stay calm, talk it through first; end the service only if abuse continues."""
    abuse = sorted(a.turn for a in alerts if a.label == "abusive")
    if not abuse:
        return None
    by_index = {t.index: t for t in turns}
    calm = next(
        (
            t.index
            for t in turns
            if t.role == "counselor"
            and t.index > abuse[0]
            and protocol_steps.detect(t.text, ("calm_talk",))
        ),
        None,
    )
    ended = next(
        (
            t.index
            for t in turns
            if t.role == "counselor"
            and t.index > abuse[0]
            and protocol_steps.detect(t.text, ("akhiri_layanan",))
            and not t.text.strip().endswith("?")
        ),
        None,
    )
    before_end = [i for i in abuse if ended is None or i < ended]
    retaliation = [
        t.ref
        for t in turns
        if t.role == "counselor"
        and t.index > abuse[0]
        and {"judgmental"} & set(_counselor_flags(t))
    ]
    return {
        "abusive_turns": [by_index[i].ref if i in by_index else i for i in abuse],
        "count": len(abuse),
        "calm_talk_turn": by_index[calm].ref if calm is not None else None,
        "ended_service_turn": by_index[ended].ref if ended is not None else None,
        "abuses_before_end": len(before_end) if ended is not None else None,
        "premature_end": ended is not None
        and (len(before_end) < 2 or calm is None or calm >= ended),
        "judgmental_replies": retaliation,
    }


def response_delays(turns: Sequence[Turn]) -> dict | None:
    """Seconds from a client message to the counselor's next message (needs message times)."""
    delays = []
    waiting = None
    for t in turns:
        if t.at is None:
            return None
        if t.role == "client" and waiting is None:
            waiting = t.at
        elif t.role == "counselor" and waiting is not None:
            delays.append((t.at - waiting).total_seconds())
            waiting = None
    if not delays:
        return None
    s = sorted(delays)
    p90 = s[min(len(s) - 1, int(round(0.9 * (len(s) - 1))))]
    return {
        "n": len(s),
        "median_s": round(median(s), 1),
        "p90_s": round(p90, 1),
        "max_s": round(s[-1], 1),
    }


# -- triage ---------------------------------------------------------------------------------------


def triage_score(review: dict) -> tuple[float, list[str]]:
    """How much a session needs a supervisor's eyes, with the reasons (English, for the supervisor UI)."""
    score, why = 0.0, []
    for p in review["protocol"]:
        if p.get("ruled_out"):
            continue
        if p["crisis"] and not p["given"] and p["required"]:
            score += W_CRISIS_UNADDRESSED
            why.append(f"{p['label']} alert: no protocol step given")
        elif p["missing"]:
            w = W_CRISIS_STEP_MISSING if p["crisis"] else W_OTHER_STEP_MISSING
            score += w * len(p["missing"])
            why.append(f"{p['label']} alert: missing {', '.join(p['missing'])}")
        if p["crisis"] and p["turns_to_first_step"] and p["turns_to_first_step"] > 1:
            score += 0.5 * (p["turns_to_first_step"] - 1)
            why.append(
                f"{p['label']} alert: first step after {p['turns_to_first_step']} counselor turns"
            )
    for f, n in review["flags"].items():
        if n:
            score += W_FLAG[f] * n
            why.append(f"{n} {f} message(s)")
    if review["opening"]["missing"]:
        score += W_OPENING_ITEM * len(review["opening"]["missing"])
        why.append(f"opening missing {', '.join(review['opening']['missing'])}")
    if review["miti_rq_level"] == "below":
        score += W_LOW_RQ
        why.append(
            f"reflection-to-question ratio {review['reflection_to_question']} below MITI fair (1)"
        )
    ab = review.get("abusive")
    if ab and ab["premature_end"]:
        score += W_PREMATURE_END
        why.append("service ended before talking abuse through / after a single abuse")
    s = review.get("summary")
    if s is not None and not s.get("approved"):
        score += W_SUMMARY_NOT_APPROVED
        why.append("summary not approved" if s.get("drafted") else "no summary")
    d = review.get("response_delays")
    if d and d["p90_s"] > SLOW_P90_S:
        score += W_SLOW_RESPONSE
        why.append(f"slow responses (p90 {d['p90_s']} s)")
    return round(score, 2), why


def triage(reviews: Iterable[tuple[str, dict]], limit: int | None = None) -> list[dict]:
    """Sessions ranked by triage score, highest first; ties by session id for a stable order."""
    rows = []
    for sid, r in reviews:
        score, why = triage_score(r)
        rows.append({"session_id": sid, "score": score, "reasons": why})
    rows.sort(key=lambda x: (-x["score"], str(x["session_id"])))
    return rows[:limit] if limit else rows


# -- a counselor over time, and CSV --------------------------------------------------------------


def aggregate(reviews: Sequence[dict]) -> dict:
    """A counselor's sessions together: pooled ratios (not a mean of ratios), totals and rates."""
    skills: Counter = Counter()
    flags: Counter = Counter()
    for r in reviews:
        skills.update(r["skills"])
        flags.update(r["flags"])
    q = skills["open_question"] + skills["closed_question"]
    rq = _ratio(skills["reflection"], q)
    protos = [p for r in reviews for p in r["protocol"]]
    summaries = [r["summary"] for r in reviews if r.get("summary") is not None]
    return {
        "sessions": len(reviews),
        "skills": dict(skills),
        "open_question_share": _ratio(skills["open_question"], q),
        "reflection_to_question": rq,
        "miti_rq_level": miti_level(rq),
        "flags": {f: flags[f] for f in COUNSELOR_FLAGS},
        "opening_completion": round(
            sum(r["opening"]["completion"] for r in reviews) / len(reviews), 3
        )
        if reviews
        else None,
        "protocol_complete_rate": _ratio(sum(p["complete"] for p in protos), len(protos)),
        "summaries_approved_rate": _ratio(
            sum(bool(s.get("approved")) for s in summaries), len(reviews)
        ),
    }


CSV_COLUMNS = (
    "session_id",
    "counselor_id",
    "created_at",
    "counselor_messages",
    "open_question",
    "closed_question",
    "reflection",
    "other",
    "open_question_share",
    "reflection_to_question",
    "miti_rq_level",
    "judgmental",
    "imposes_beliefs",
    "shares_contact",
    "off_platform",
    "opening_completion",
    "opening_missing",
    "alerts",
    "protocol_missing",
    "abusive_count",
    "premature_end",
    "summary_drafted",
    "summary_approved",
    "delay_median_s",
    "delay_p90_s",
    "triage_score",
    "degraded",
)


def csv_row(session_id: str, counselor_id: str, created_at: str, r: dict) -> dict:
    d = r.get("response_delays") or {}
    s = r.get("summary") or {}
    ab = r.get("abusive") or {}
    return {
        "session_id": session_id,
        "counselor_id": counselor_id,
        "created_at": created_at,
        "counselor_messages": r["counselor_messages"],
        **r["skills"],
        "open_question_share": r["open_question_share"],
        "reflection_to_question": r["reflection_to_question"],
        "miti_rq_level": r["miti_rq_level"],
        **r["flags"],
        "opening_completion": r["opening"]["completion"],
        "opening_missing": " ".join(r["opening"]["missing"]),
        "alerts": " ".join(p["label"] for p in r["protocol"]),
        "protocol_missing": " ".join(
            f"{p['label']}:{s}" for p in r["protocol"] if not p.get("ruled_out") for s in p["missing"]
        ),
        "abusive_count": ab.get("count", 0),
        "premature_end": ab.get("premature_end", False),
        "summary_drafted": s.get("drafted"),
        "summary_approved": s.get("approved"),
        "delay_median_s": d.get("median_s"),
        "delay_p90_s": d.get("p90_s"),
        "triage_score": triage_score(r)[0],
        "degraded": r["degraded"],
    }


def to_csv(rows: Iterable[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow(row)
    return buf.getvalue()
