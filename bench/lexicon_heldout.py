"""The crisis lexicon on its own, per group of authored client files: precision and recall per
crisis label, and the share of hard negatives it flags.

The groups say how honest each figure is:
- ``developed``: the four files the lexicon was written beside (2026-11-26); optimistic.
- ``tuned_later``: six voices written after it (2026-11-27 morning) and read when the lexicon's
  topic / negation / recovery cues were added (lexicon 1.1.0); no longer independent.
- ``held_out``: six voices written the same day and never read for lexicon work, only counted;
  the closest this project has to independent writing.
- ``held_out_2``: six voices written 2026-11-27 (second session) around the suicidal boundary,
  likewise never read for lexicon work.
- ``held_out_3``: six voices written 2026-11-27 (third session) after lexicon 1.2.0's rules were
  settled, likewise never read for lexicon work.
- ``held_out_4``: seven voices written 2026-11-27 (fourth session); their misses and false flags
  under classifier 0.5.0 were read once for error analysis, and no lexicon rule has been
  changed since (lexicon 1.2.0 as it was).
- ``held_out_5``: five voices written 2026-11-27 (fourth session, seventh batch), never read for
  lexicon work.
- ``held_out_6``: seven voices written 2026-11-27 (fifth session, eighth batch), never read for
  lexicon work.
- ``held_out_7``: seven voices written 2026-11-27 (sixth session, ninth batch), never read for
  lexicon work.
- ``held_out_8``: four voices written 2026-11-28 (seventh session, tenth batch: grief, chronic
  illness, live-in domestic workers, Lombok / Sumbawa / Bima), never read for lexicon work.
- ``unseen_set``: the files of ``training/data/unseen/`` (written 2026-11-27, fourth session),
  kept out of every data build and never read for lexicon work.

    python bench/lexicon_heldout.py [--json bench/lexicon_heldout.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from copilot.labels import CRISIS  # noqa: E402
from copilot.risk_lexicon import RiskLexicon  # noqa: E402

AUTHORED = REPO / "training" / "data" / "authored"
UNSEEN = REPO / "training" / "data" / "unseen"
PENDING = REPO / "training" / "data" / "pending"  # batches not yet in a build (see its README.md)
GROUPS = {
    "developed": ["formal", "jatim", "jkt", "luar"],
    "tuned_later": ["genz", "jateng", "kantor", "mks", "sunda", "timur"],
    "held_out": ["medan", "minang", "pmi", "bali", "santri", "sumsel"],
    "held_out_2": ["kalimantan", "manado", "tionghoa", "ibumuda", "gamerteen", "jogja"],
    "held_out_3": ["acehriau", "ojol", "lansia", "ventweet", "disabilitas", "mahasiswa"],
    "held_out_4": ["ntt", "nakes", "judol", "smp", "bapak", "pasangan", "sulteng"],
    "held_out_5": ["papua", "betawi", "madura", "ortu", "jaksel"],
    "held_out_6": ["petani", "kos", "buruh", "banjar", "halu", "vn", "bocil"],
    "held_out_7": ["ambon", "melayu", "malam", "cerai", "pinjol", "status", "napi"],
    "held_out_8": ["duka", "sakit", "prt", "sasak"],
    "unseen_set": sorted(p.stem.removeprefix("client_") for p in UNSEEN.glob("client_*.jsonl")),
}


def measure(lex: RiskLexicon, voices: list[str]) -> dict:
    counts = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    hn = hn_flagged = rows = 0
    hn_labels: dict[str, int] = defaultdict(int)
    for voice in voices:
        path = next((d / f"client_{voice}.jsonl" for d in (AUTHORED, PENDING, UNSEEN)
                     if (d / f"client_{voice}.jsonl").exists()), UNSEEN / f"client_{voice}.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            rows += 1
            flagged = set(lex.flags(r["text"])) & set(CRISIS)
            gold = set(r["labels"])
            for lab in CRISIS:
                if lab in flagged and lab in gold:
                    counts[lab]["tp"] += 1
                elif lab in flagged:
                    counts[lab]["fp"] += 1
                elif lab in gold:
                    counts[lab]["fn"] += 1
            if r.get("hard_negative"):
                hn += 1
                hn_flagged += bool(flagged)
                for lab in flagged:
                    hn_labels[lab] += 1
    labels = {}
    for lab in CRISIS:
        c = counts[lab]
        labels[lab] = {**c, "support": c["tp"] + c["fn"],
                       "precision": c["tp"] / max(c["tp"] + c["fp"], 1),
                       "recall": c["tp"] / max(c["tp"] + c["fn"], 1)}
    return {"voices": voices, "rows": rows, "labels": labels, "hard_negatives": hn,
            "hard_negatives_flagged": hn_flagged, "hard_negative_rate": hn_flagged / max(hn, 1),
            "hard_negative_flags_by_label": dict(hn_labels)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    lex = RiskLexicon.load()
    out = {"lexicon": f"{lex.name} {lex.version}", "groups": {g: measure(lex, v) for g, v in GROUPS.items()}}
    print(f"lexicon {out['lexicon']}")
    for g, m in out["groups"].items():
        print(f"\n{g} ({', '.join(m['voices'])}; {m['rows']} messages)")
        for lab, v in m["labels"].items():
            print(f"  {lab:15s} support {v['support']:4d}  P {v['precision']:.3f}  R {v['recall']:.3f}")
        print(f"  hard negatives flagged: {m['hard_negatives_flagged']}/{m['hard_negatives']} "
              f"({m['hard_negative_rate']:.3f}) by label {m['hard_negative_flags_by_label']}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
