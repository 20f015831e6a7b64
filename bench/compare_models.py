"""Compare shipped classifiers on the same rows, to decide between them without the test split.

Two views, one run, every model scored on the same rows:

- ``dev``: threshold-free ranking quality (average precision per label) of each model's own
  probabilities on the chat-domain dev rows of a data build (``authored_*`` sources). This is
  what a new model version is accepted on.
- ``tweets``: the model's suicidal average precision and ROC AUC on the dev rows of the public
  suicidal-ideation tweets (``apricitea_suicide_id``, not augmented), whose negatives were
  collected with the same keywords: the acceptance rule's second condition.
- ``unseen``: authored client files named with ``--unseen``, scored whole by the full analyzer
  (model + crisis lexicon, each model's own thresholds). Use it for voices written after a model
  was trained: for that model it is the closest this project has to independent data. For a
  model trained on them it is not, and the script cannot tell: say which models saw the files
  when quoting the table (bench/compare_models.json keeps only the unseen model's figures).

    python bench/compare_models.py --build data/build/v1 --model old=/tmp/parent --model new=models/konselor-id \
        [--unseen training/data/authored/client_x.jsonl ...] [--json bench/compare_models.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from copilot.analyzer import Analyzer  # noqa: E402
from copilot.contact_recognizer import ContactRecognizer  # noqa: E402
from copilot.labels import CLIENT_RISK, COUNSELOR_FLAGS, CRISIS  # noqa: E402
from copilot.onnx_encoder import OnnxEncoder  # noqa: E402
from copilot.risk_lexicon import RiskLexicon  # noqa: E402
from training.classifier.calibrate import ranking_quality  # noqa: E402
from training.classifier.dataset import read_examples  # noqa: E402
from training.classifier.evaluate import onnx_probs  # noqa: E402
from training.classifier.metrics import prf  # noqa: E402


def dev_ap(enc: OnnxEncoder, rows: list[dict]) -> dict:
    """Average precision per label on the rows that annotate it."""
    probs = onnx_probs(enc, [r["text"] for r in rows])
    out = {}
    for head, key, labels in (("risk", "risk", CLIENT_RISK), ("flags", "flags", COUNSELOR_FLAGS)):
        names = enc.manifest.heads[head].labels
        for lab in labels:
            idx = [i for i, r in enumerate(rows) if lab in (r["targets"][key] or {})]
            y = np.array([rows[i]["targets"][key][lab] for i in idx], dtype=int)
            rq = ranking_quality(probs[head][idx, names.index(lab)], y) if idx else {}
            out[lab] = {"ap": rq.get("ap"), "n_pos": int(y.sum()) if idx else 0}
    for group, labels in (("client_mean_ap", CLIENT_RISK), ("counselor_mean_ap", COUNSELOR_FLAGS)):
        aps = [out[lab]["ap"] for lab in labels if out[lab]["ap"] is not None]
        out[group] = float(np.mean(aps)) if aps else None
    return out


TWEETS = "apricitea_suicide_id"


def tweets_ap(enc: OnnxEncoder, rows: list[dict]) -> dict:
    """Suicidal ranking quality of the model alone on the public tweets' dev rows."""
    probs = onnx_probs(enc, [r["text"] for r in rows])["risk"]
    y = np.array([r["targets"]["risk"]["suicidal"] for r in rows], dtype=int)
    rq = ranking_quality(probs[:, enc.manifest.heads["risk"].labels.index("suicidal")], y)
    return {"ap": rq.get("ap"), "auc": rq.get("auc"), "n": len(rows), "n_pos": int(y.sum())}


def unseen(an: Analyzer, files: list[Path]) -> dict:
    rows = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    res = an.analyze([r["text"] for r in rows], "client")
    out: dict = {"rows": len(rows)}
    for lab in CLIENT_RISK:
        y = np.array([lab in r["labels"] for r in rows], dtype=int)
        m = prf(y, np.array([lab in a.flags for a in res], dtype=int))
        out[lab] = {"n_pos": m["support"], "precision": m["precision"], "recall": m["recall"], "f1": m["f1"]}
    hn = [a for r, a in zip(rows, res) if r.get("hard_negative")]
    out["hard_negatives"] = len(hn)
    out["hard_negative_flagged"] = sum(1 for a in hn if a.flags)
    out["hard_negative_suicidal"] = sum(1 for a in hn if "suicidal" in a.flags)
    out["client_macro_f1"] = float(np.mean([out[lab]["f1"] for lab in CLIENT_RISK if out[lab]["n_pos"]]))
    out["crisis_recall_min"] = min(out[lab]["recall"] for lab in CRISIS if out[lab]["n_pos"])
    out["crisis_precision_min"] = min(out[lab]["precision"] for lab in CRISIS if out[lab]["n_pos"])
    return out


def _fmt(v) -> str:
    return "—" if v is None else f"{v:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", type=Path, required=True, help="data build folder (examples.jsonl)")
    ap.add_argument("--model", action="append", required=True, help="NAME=MODEL_DIR (repeat)")
    ap.add_argument("--unseen", type=Path, nargs="*", default=[], help="authored client files to score whole")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args(argv)

    dev = [r for r in read_examples(args.build / "examples.jsonl") if r["split"] == "dev" and not r.get("augmented")]
    rows = [r for r in dev if r["source"].startswith("authored_")]
    tweets = [r for r in dev if r["source"] == TWEETS and "suicidal" in (r["targets"]["risk"] or {})]
    manifest = json.loads((args.build / "manifest.json").read_text())
    report: dict = {"build": manifest.get("version"), "dev_rows": len(rows), "tweet_dev_rows": len(tweets),
                    "unseen_files": [f.name for f in args.unseen], "models": {}}
    for spec in args.model:
        name, _, path = spec.partition("=")
        enc = OnnxEncoder(Path(path), threads=args.threads)
        entry = {"dir": path, "version": enc.manifest.version, "dev": dev_ap(enc, rows)}
        if tweets:
            entry["tweets"] = tweets_ap(enc, tweets)
        if args.unseen:
            entry["unseen"] = unseen(Analyzer(enc, RiskLexicon.default(), ContactRecognizer()), args.unseen)
        report["models"][name] = entry
        print(f"scored {name} ({enc.manifest.version})", file=sys.stderr)

    names = list(report["models"])
    print(f"dev chat rows of build {report['build']}: {len(rows)}; average precision per label\n")
    print("| label | n_pos | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    for lab in [*CLIENT_RISK, "client_mean_ap", *COUNSELOR_FLAGS, "counselor_mean_ap"]:
        first = report["models"][names[0]]["dev"][lab]
        n = first["n_pos"] if isinstance(first, dict) else ""
        cells = [report["models"][m]["dev"][lab] for m in names]
        cells = [_fmt(c["ap"] if isinstance(c, dict) else c) for c in cells]
        print(f"| {lab} | {n} | " + " | ".join(cells) + " |")
    if tweets:
        print(f"\npublic suicidal tweets, dev ({len(tweets)} rows, "
              f"{report['models'][names[0]]['tweets']['n_pos']} positive), model alone: "
              + ", ".join(f"{m} AP {_fmt(report['models'][m]['tweets']['ap'])} "
                          f"AUC {_fmt(report['models'][m]['tweets']['auc'])}" for m in names))
    if args.unseen:
        print(f"\nunseen files ({', '.join(report['unseen_files'])}), system (model + lexicon), "
              f"{report['models'][names[0]]['unseen']['rows']} rows\n")
        print("| label | n_pos | " + " | ".join(f"{m} P / R / F1" for m in names) + " |")
        print("|---|---|" + "---|" * len(names))
        for lab in CLIENT_RISK:
            u = [report["models"][m]["unseen"][lab] for m in names]
            print(f"| {lab} | {u[0]['n_pos']} | " + " | ".join(
                f"{_fmt(x['precision'])} / {_fmt(x['recall'])} / {_fmt(x['f1'])}" for x in u) + " |")
        for key in ("client_macro_f1", "crisis_recall_min", "crisis_precision_min"):
            print(f"| {key} | | " + " | ".join(_fmt(report["models"][m]["unseen"][key]) for m in names) + " |")
        for m in names:
            u = report["models"][m]["unseen"]
            print(f"\n{m}: hard negatives flagged {u['hard_negative_flagged']}/{u['hard_negatives']} "
                  f"({u['hard_negative_flagged'] / max(1, u['hard_negatives']):.1%}), "
                  f"as suicidal {u['hard_negative_suicidal']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
