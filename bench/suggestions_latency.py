"""Suggestion latency on top of the message analysis, with the shipped model, over the authored sessions.

For every client message of `training/data/authored/sessions_*.jsonl`, in order, it times the
client-message analysis (what the service does anyway) and then `Suggester.suggest` on the
session so far (what issue 7 adds: context embedding, retrieval, reflection check). Prints
p50/p95/max of both. The bank is checked and embedded once before timing, as at start-up.
Figures, not assertions: the machine is shared and noisy.

    python bench/suggestions_latency.py [--model-dir models/konselor-id] [--threads 2] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from copilot.analyzer import Analyzer  # noqa: E402
from copilot.protocol_steps import open_at  # noqa: E402
from copilot.replay import raised_alerts  # noqa: E402
from copilot.settings import Settings  # noqa: E402
from copilot.suggest import Suggester, SuggestionBank  # noqa: E402
from copilot.transcript import Turn  # noqa: E402


def pct(xs: list[float], q: float) -> float:
    return round(float(np.percentile(np.asarray(xs), q)), 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model-dir", default=str(REPO / "models" / "konselor-id"))
    ap.add_argument("--threads", type=int, default=min(4, os.cpu_count() or 1))
    ap.add_argument(
        "--rounds", type=int, default=2, help="passes over the sessions (the first warms up)"
    )
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args()

    analyzer = Analyzer.from_settings(Settings(model_dir=args.model_dir, threads=args.threads))
    if analyzer.degraded:
        sys.exit(f"no model: {analyzer.load_error}")
    t = time.perf_counter()
    bank = SuggestionBank.load().prepare(analyzer)
    startup_s = time.perf_counter() - t
    sessions = [
        json.loads(line)
        for f in sorted((REPO / "training/data/authored").glob("sessions_*.jsonl"))
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    analysis_ms: list[float] = []
    suggest_ms: list[float] = []
    for r in range(args.rounds):
        sg = Suggester(analyzer, bank)  # a fresh context cache per round, as after a restart
        for s in sessions:
            turns: list[Turn] = []
            for i, raw in enumerate(s["turns"]):
                t0 = time.perf_counter()
                [a] = analyzer.analyze([raw["text"]], raw["role"])
                t1 = time.perf_counter()
                turns.append(Turn(i, raw["role"], raw["text"], a))
                if raw["role"] != "client":
                    continue
                sg.suggest(turns, open_at(raised_alerts(turns), turns))
                t2 = time.perf_counter()
                if r == args.rounds - 1 or args.rounds == 1:
                    analysis_ms.append((t1 - t0) * 1000)
                    suggest_ms.append((t2 - t1) * 1000)
    out = {
        "model": analyzer.info().get("name"),
        "version": analyzer.info().get("version"),
        "threads": args.threads,
        "cpus": os.cpu_count(),
        "client_messages": len(suggest_ms),
        "bank_entries": len(bank.entries),
        "bank_startup_s": round(startup_s, 2),
        "analysis_ms": {
            "p50": pct(analysis_ms, 50),
            "p95": pct(analysis_ms, 95),
            "max": pct(analysis_ms, 100),
        },
        "suggest_ms": {
            "p50": pct(suggest_ms, 50),
            "p95": pct(suggest_ms, 95),
            "max": pct(suggest_ms, 100),
        },
        "budget_p95_ms": 50,
    }
    print(
        f"{out['client_messages']} client messages, model {out['model']} {out['version']}, "
        f"{args.threads} threads on {out['cpus']} CPUs; bank of {out['bank_entries']} checked+embedded "
        f"in {out['bank_startup_s']} s"
    )
    print(
        f"message analysis      p50 {out['analysis_ms']['p50']:7.2f} ms   p95 {out['analysis_ms']['p95']:7.2f} ms"
    )
    print(
        f"suggestions on top    p50 {out['suggest_ms']['p50']:7.2f} ms   p95 {out['suggest_ms']['p95']:7.2f} ms"
        f"   (budget p95 <= 50 ms)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
