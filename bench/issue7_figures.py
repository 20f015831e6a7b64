"""The issue-7 figures on the authored sessions: bank skill agreement, lint-clean rate of what is
suggested, type agreement of what is suggested, summary coverage, risk-turn recall, review overview.

Replays every session of `training/data/authored/sessions_*.jsonl` through `copilot.replay`
with the shipped model (or, with --degraded, the rules alone) and scores it against the
reference summaries with `copilot.replay_scoring`. Prints a table; --json writes everything.

    python bench/issue7_figures.py [--model-dir models/konselor-id] [--degraded] [--json out.json]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from copilot.analyzer import Analyzer  # noqa: E402
from copilot.labels import CRISIS  # noqa: E402
from copilot.replay import replay_stream  # noqa: E402
from copilot.replay_scoring import risk_hits, score_summary  # noqa: E402
from copilot.settings import Settings  # noqa: E402
from copilot.suggest import Suggester, SuggestionBank  # noqa: E402
from copilot.suggest.bank import EXPECTED_SKILL  # noqa: E402
from copilot.suggest.lint import counselor_lint  # noqa: E402


def _mean(xs):
    xs = [x for x in xs if x is not None]
    return round(sum(xs) / len(xs), 3) if xs else None


def _pr(c: Counter) -> dict:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else None
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else None
    return {"precision": p and round(p, 3), "recall": r and round(r, 3), **dict(c)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model-dir", default=str(REPO / "models" / "konselor-id"))
    ap.add_argument("--degraded", action="store_true", help="run without the model (rules only)")
    ap.add_argument("--json")
    args = ap.parse_args()

    model_dir = REPO / "no-model-here" if args.degraded else Path(args.model_dir)
    analyzer = Analyzer.from_settings(Settings(model_dir=model_dir))
    if analyzer.degraded and not args.degraded:
        sys.exit(f"no model: {analyzer.load_error} (use --degraded for the rules-only figures)")
    bank = SuggestionBank.load().prepare(analyzer)
    suggester = Suggester(analyzer, bank)
    sessions = [
        json.loads(line)
        for f in sorted((REPO / "training/data/authored").glob("sessions_*.jsonl"))
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    src = [
        json.dumps(
            {"id": s["id"], "turns": [{"role": t["role"], "text": t["text"]} for t in s["turns"]]}
        )
        for s in sessions
    ]
    out = io.StringIO()
    errors = replay_stream(src, out, analyzer, suggester)
    recs = [json.loads(x) for x in out.getvalue().splitlines()]
    failed = [r for r in recs if "error" in r]
    if failed:
        sys.exit(f"{len(failed)} session(s) failed to replay, e.g. {failed[0]}")

    # risks
    hits = [
        (lab, near, at)
        for s, r in zip(sessions, recs)
        for lab, near, at in risk_hits(s, r["alerts"])
    ]
    per_label: dict[str, Counter] = {}
    for lab, near, at in hits:
        c = per_label.setdefault(lab, Counter())
        c["n"] += 1
        c["near"] += near
        c["at"] += at
    missed = [
        (s["id"], lab)
        for s, r in zip(sessions, recs)
        for lab, near, _ in risk_hits(s, r["alerts"])
        if not near
    ]
    ref_turns = {(s["id"], t) for s in sessions for x in s["summary"]["risiko"] for t in x["turns"]}
    false_alerts = [
        (r["id"], a["turn"], a["label"])
        for s, r in zip(sessions, recs)
        for a in r["alerts"]
        if not any(
            x["label"] == a["label"] and min(x["turns"]) - 2 <= a["turn"] <= max(x["turns"]) + 2
            for x in s["summary"]["risiko"]
        )
    ]

    # per-turn precision of the alerts against the turn labels of the sessions
    turn_alerts = Counter()
    for s, r in zip(sessions, recs):
        for a in r["alerts"]:
            turn_alerts[(a["label"], a["label"] in s["turns"][a["turn"]].get("labels", []))] += 1
    alert_precision = {
        lab: round(
            turn_alerts[(lab, True)] / (turn_alerts[(lab, True)] + turn_alerts[(lab, False)]), 3
        )
        for lab in sorted({k[0] for k in turn_alerts})
    }

    # suggestions: what was actually offered
    items = [it for r in recs for x in r["suggestions"] for it in x["items"]]
    # Linted as the service lints a draft: one text at a time.
    single = {
        t: analyzer.analyze([t], "counselor")[0] for t in dict.fromkeys(it["text"] for it in items)
    }
    analyses = [single[it["text"]] for it in items]
    dirty = [it["text"] for it, a in zip(items, analyses) if counselor_lint(it["text"], a)]
    typed = Counter()
    for it, a in zip(items, analyses):
        want = EXPECTED_SKILL.get(it["type"])
        if want is None or a.skill is None:
            continue
        typed[(it["type"], "n")] += 1
        typed[(it["type"], "agree")] += a.skill == want
    latency = sorted(x["latency_ms"] for r in recs for x in r["suggestions"])

    # summary coverage
    scores = [score_summary(s, r["summary"]) for s, r in zip(sessions, recs)]
    ruj, ris = Counter(), Counter()
    for sc in scores:
        ruj.update(sc["rujukan"])
        ris.update(sc["risiko"])
    coverage = {
        "nama_panggilan": _mean([float(sc["nama_panggilan"]) for sc in scores]),
        "bahasa": _mean([float(sc["bahasa"]) for sc in scores]),
        "topik_category": _mean([float(sc["topik"]) for sc in scores]),
        "topik_recall": _mean([sc["topik_recall"] for sc in scores]),
        "keluhan_utama_recall": _mean([sc["keluhan_utama_recall"] for sc in scores]),
        "kondisi_emosi_hit": _mean(
            [
                sc["kondisi_emosi_hit"] and 1.0 if sc["kondisi_emosi_hit"] is not None else None
                for sc in scores
            ]
        ),
        "kondisi_emosi_recall": _mean([sc["kondisi_emosi_recall"] for sc in scores]),
        "rencana_recall": _mean([sc["rencana_recall"] for sc in scores]),
        "filled": {
            k: _mean([float(sc["filled"][k]) for sc in scores]) for k in scores[0]["filled"]
        },
        "tindakan_rujukan": _pr(ruj),
        "risiko_labels": _pr(ris),
    }
    # gold skills of the counselor turns vs the skill head / rules, as the review counts them
    gold = Counter()
    for s in sessions:
        g = Counter(t["skill"] for t in s["turns"] if t["role"] == "counselor")
        for k in ("open_question", "closed_question", "reflection", "other"):
            gold[k] += g[k]
    ours = Counter()
    for r in recs:
        ours.update(r["review"]["skills"])

    fig = {
        "model": recs[0]["model"],
        "degraded": analyzer.degraded,
        "sessions": len(recs),
        "errors": errors,
        "bank": {k: v for k, v in bank.report().items() if k != "lint_flagged"}
        | {"lint_flagged": bank.report()["lint_flagged"]},
        "suggested": {
            "items": len(items),
            "lint_clean_rate": round(1 - len(dirty) / len(items), 4),
            "dirty": dirty,
            "type_agreement": {
                t: round(typed[(t, "agree")] / typed[(t, "n")], 3)
                for t in ("open_question", "closed_question", "reflection", "summary")
                if typed[(t, "n")]
            },
            "type_agreement_all": round(
                sum(typed[(t, "agree")] for t in EXPECTED_SKILL)
                / max(1, sum(typed[(t, "n")] for t in EXPECTED_SKILL)),
                3,
            ),
            "by_source": dict(Counter(it["source"] for it in items)),
            "by_type": dict(Counter(it["type"] for it in items)),
            "latency_ms_p50": latency[len(latency) // 2] if latency else None,
            "latency_ms_p95": latency[int(0.95 * (len(latency) - 1))] if latency else None,
        },
        "risk": {
            "expected": len(hits),
            "raised_near": sum(n for _, n, _ in hits),
            "raised_at": sum(a for _, _, a in hits),
            "recall_near": round(sum(n for _, n, _ in hits) / len(hits), 3),
            "recall_near_crisis": round(
                sum(n for lab, n, _ in hits if lab in CRISIS)
                / max(1, sum(1 for lab, _, _ in hits if lab in CRISIS)),
                3,
            ),
            "per_label": {k: dict(v) for k, v in sorted(per_label.items())},
            "missed": missed,
            "alerts_without_reference": false_alerts,
            "alerts": sum(turn_alerts.values()),
            "alert_turn_precision": alert_precision,
            "alert_turn_precision_all": round(
                sum(v for (_, ok), v in turn_alerts.items() if ok)
                / max(1, sum(turn_alerts.values())),
                3,
            ),
            "reference_risk_turns": len(ref_turns),
        },
        "summary_coverage": coverage,
        "review": {
            "skills_ours": dict(ours),
            "skills_gold": dict(gold),
            "opening_incomplete": [r["id"] for r in recs if r["review"]["opening"]["missing"]],
            "protocol_incomplete": [
                (r["id"], p["label"], p["missing"])
                for r in recs
                for p in r["review"]["protocol"]
                if p["missing"]
            ],
        },
    }
    b, sgd, rk, cv = fig["bank"], fig["suggested"], fig["risk"], fig["summary_coverage"]
    print(
        f"model {fig['model']} degraded={fig['degraded']} sessions={fig['sessions']} errors={errors}"
    )
    print(
        f"bank: {b['entries']} lines, lint-clean {b['lint_clean_rate']:.1%}, skill agreement "
        f"{b['skill_agreement']} ({b['skill_agree']}/{b['skill_checked']}), eligible {b['eligible']}"
    )
    for t, v in b["per_type"].items():
        print(
            f"   {t:16s} n={v.get('n', 0):3d} agreement={v['agreement']}  lint_clean={v.get('lint_clean', 0)}"
        )
    print(
        f"suggested: {sgd['items']} items, lint-clean {sgd['lint_clean_rate']:.2%}, type agreement "
        f"{sgd['type_agreement_all']} {sgd['type_agreement']}, p50 {sgd['latency_ms_p50']} ms p95 {sgd['latency_ms_p95']} ms"
    )
    print(
        f"risk: recall at/near (±2) {rk['recall_near']} ({rk['raised_near']}/{rk['expected']}), crisis "
        f"{rk['recall_near_crisis']}, exact turn {rk['raised_at']}/{rk['expected']}; missed {rk['missed']}"
    )
    print(
        f"alerts: {rk['alerts']}, per-turn precision {rk['alert_turn_precision_all']} {rk['alert_turn_precision']}"
    )
    print(f"summary: {json.dumps(cv, ensure_ascii=False)}")
    if args.json:
        Path(args.json).write_text(json.dumps(fig, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
