"""Review metrics against values computed by hand on a small session."""

import csv
import io
from datetime import datetime, timedelta

from copilot.analysis import Analysis
from copilot.review import aggregate, csv_row, review_session, to_csv, triage, triage_score
from copilot.transcript import RaisedAlert, Turn

T0 = datetime(2026, 11, 26, 20, 0, 0)

# (role, text, skill or emotion, flags)
SCRIPT = [
    (
        "counselor",
        "Halo, saya Kak Rina, konselor di Aku Pintar. Kita pakai bahasa Indonesia ya?",
        "closed_question",
        [],
    ),
    ("client", "iya kak", "netral", []),
    ("counselor", "Kamu mau dipanggil siapa?", "closed_question", []),
    ("client", "dina", "netral", []),
    ("counselor", "Dina, apa yang mau kamu ceritakan?", "open_question", []),
    ("client", "aku pengen mati aja kak", "putus_asa", ["suicidal"]),
    ("counselor", "Kamu harusnya bersyukur.", "other", ["judgmental"]),
    ("client", "kakak ga ngerti", "kecewa", []),
    ("counselor", "Kedengarannya kamu lelah sekali.", "reflection", []),
    ("client", "iya", "putus_asa", []),
    ("counselor", "Apakah kamu berpikir untuk bunuh diri?", "closed_question", []),
    ("client", "iya", "putus_asa", []),
    ("counselor", "Tolong telepon 119 ya kalau dorongan itu datang.", "other", []),
    ("client", "kamu goblok", "marah", ["abusive"]),
    ("counselor", "Saya minta kita saling menghargai ya.", "other", []),
    ("client", "maaf kak", "bersalah", []),
    ("counselor", "Jadi kamu merasa sendirian.", "reflection", []),
]


def session(with_times=True, degraded=False):
    turns, at = [], T0
    delays = iter([10, 20, 30, 40, 50, 60, 70, 80])  # seconds to answer each client message
    for i, (role, text, cls, flags) in enumerate(SCRIPT):
        if role == "counselor" and i:
            at += timedelta(seconds=next(delays))
        elif role == "client":
            at += timedelta(seconds=5)
        if degraded:
            a = Analysis(role, [f for f in flags if role == "client"], {}, {}, {}, "lexicon", True)
        elif role == "counselor":
            a = Analysis(role, flags, {}, {}, {}, "model", False, skill=cls)
        else:
            a = Analysis(role, flags, {}, {}, {}, "model", False, emotion=cls)
        turns.append(Turn(i, role, text, a, at=at if with_times else None))
    alerts = [RaisedAlert("suicidal", 5, True), RaisedAlert("abusive", 13, False)]
    return turns, alerts


def test_metrics_match_hand_computed_values():
    turns, alerts = session()
    r = review_session(turns, alerts, {"drafted": True, "approved": False, "missing": []})
    assert r["counselor_messages"] == 9 and r["client_messages"] == 8
    assert r["skills"] == {"open_question": 1, "closed_question": 3, "reflection": 2, "other": 3}
    assert r["open_question_share"] == 0.25  # 1 open of 4 questions
    assert r["reflection_to_question"] == 0.5  # 2 reflections / 4 questions
    assert r["miti_rq_level"] == "below"
    assert r["flags"] == {
        "judgmental": 1,
        "imposes_beliefs": 0,
        "shares_contact": 0,
        "off_platform": 0,
    }
    assert r["flag_turns"]["judgmental"] == [6]
    assert r["opening"] == {
        "items": {"introduction": 0, "language": 0, "nickname": 2, "topic": 4},
        "missing": [],
        "completion": 1.0,
    }
    [sui, abu] = r["protocol"]
    assert sui == {
        "label": "suicidal",
        "crisis": True,
        "alert_turns": [5],
        "required": ["ask_directly", "119", "psikolog_psikiater", "daftar_tempat_konseling"],
        "given": {"ask_directly": 10, "119": 12},
        "missing": ["psikolog_psikiater", "daftar_tempat_konseling"],
        "turns_to_first_step": 3,  # counselor turns 6, 8, 10
        "complete": False,
        "ruled_out": False,
    }
    assert abu["given"] == {"calm_talk": 14} and abu["turns_to_first_step"] == 1 and abu["complete"]
    assert r["abusive"] == {
        "abusive_turns": [13],
        "count": 1,
        "calm_talk_turn": 14,
        "ended_service_turn": None,
        "abuses_before_end": None,
        "premature_end": False,
        "judgmental_replies": [],
    }
    assert r["response_delays"] == {"n": 8, "median_s": 45.0, "p90_s": 70.0, "max_s": 80.0}
    assert r["skill_source"] == "skill_head" and not r["degraded"]


def test_miti_thresholds():
    from copilot.review import miti_level

    assert [miti_level(x) for x in (None, 0.99, 1.0, 1.99, 2.0)] == [
        None,
        "below",
        "fair",
        "fair",
        "good",
    ]


def test_triage_score_and_ranking():
    turns, alerts = session()
    r = review_session(turns, alerts, {"drafted": True, "approved": False, "missing": []})
    score, why = triage_score(r)
    # 2 missing crisis steps x3 + first step after 3 turns (0.5 x 2) + 1 judgmental x2 + RQ below 1 + not approved 1
    assert score == 11.0
    assert any("missing psikolog_psikiater" in w for w in why)
    clean = review_session(turns[:5], [], {"drafted": True, "approved": True, "missing": []})
    ranked = triage([("clean", clean), ("risky", r)])
    assert [x["session_id"] for x in ranked] == ["risky", "clean"]
    assert ranked[0]["reasons"] == why


def test_no_step_at_all_after_a_crisis_ranks_highest():
    turns, _ = session()
    r = review_session(turns[:7], [RaisedAlert("suicidal", 5, True)], None)
    assert r["protocol"][0]["given"] == {} and r["protocol"][0]["turns_to_first_step"] is None
    assert triage_score(r)[1][0] == "suicidal alert: no protocol step given"


def test_service_ended_after_a_single_abuse_is_premature():
    turns, _ = session(with_times=False)
    turns = turns[:14] + [
        Turn(
            14,
            "counselor",
            "Saya mengakhiri layanan ini sekarang.",
            Analysis("counselor", [], {}, {}, {}, "model", False, skill="other"),
        )
    ]
    r = review_session(turns, [RaisedAlert("abusive", 13, False)], None)
    assert r["abusive"]["ended_service_turn"] == 14 and r["abusive"]["premature_end"]
    assert r["response_delays"] is None


def test_degraded_review_guesses_skills_and_uses_the_lint_rules():
    turns, alerts = session(degraded=True)
    r = review_session(turns, alerts)
    assert r["degraded"] and r["skill_source"] == "rules"
    assert r["flags"]["judgmental"] == 1  # "Kamu harusnya ..." caught by the rewording rules
    assert r["skills"]["open_question"] >= 1


def test_aggregate_pools_ratios_and_csv_has_a_row_per_session():
    turns, alerts = session()
    a = review_session(turns, alerts, {"drafted": True, "approved": True, "missing": []})
    b = review_session(turns[:5], [], {"drafted": True, "approved": False, "missing": []})
    agg = aggregate([a, b])
    # pooled: reflections 2 / questions (4 + 3), not the mean of 0.5 and 0
    assert agg["reflection_to_question"] == round(2 / 7, 3) and agg["sessions"] == 2
    assert agg["summaries_approved_rate"] == 0.5 and agg["protocol_complete_rate"] == 0.5
    text = to_csv([csv_row("s1", "c1", "2026-11-26", a), csv_row("s2", "c1", "2026-11-26", b)])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [x["session_id"] for x in rows] == ["s1", "s2"]
    assert (
        rows[0]["protocol_missing"]
        == "suicidal:psikolog_psikiater suicidal:daftar_tempat_konseling"
    )


def test_alerts_assessed_as_no_risk_do_not_count_against_the_counselor():
    turns, _ = session()
    ruled = [RaisedAlert("suicidal", 5, True, open=False, outcome="no_current_risk")]
    r = review_session(turns[:7], ruled, None)
    assert r["protocol"][0]["ruled_out"] and r["protocol"][0]["missing"]
    assert not any("suicidal" in w for w in triage_score(r)[1])
    managed = [RaisedAlert("suicidal", 5, True, open=False, outcome="risk_managed")]
    assert not review_session(turns[:7], managed, None)["protocol"][0]["ruled_out"]
