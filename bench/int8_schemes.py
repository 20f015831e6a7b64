"""int8 schemes for the classifier: size, single-message latency and per-label decisions against
the fp32 graph, all measured in one run on the same machine.

Quantises one fp32 ONNX export (``copilot-train classifier export --set export.keep_fp32=true
--set output.model_dir=/tmp/konselor-fp32``; a scratch folder, so the shipped manifest keeps its metrics)
with each scheme of `training.encoder.export.Int8Scheme`, then, on the authored dev+test rows of
a data build, prints per scheme: file size, batch-of-one latency p50/p99 (ratio to fp32), and the
model F1 of every risk/flag label at the shipped thresholds minus the fp32 F1. Figures, not
assertions: the machine is shared and noisy.

    python bench/int8_schemes.py --fp32 /tmp/konselor-fp32/model.fp32.onnx \
        --model-dir models/konselor-id --data data/build/v1 [--threads 2] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from copilot.model_dir import load_manifest  # noqa: E402
from copilot.tokenizer import ChatTokenizer  # noqa: E402
from training.classifier.dataset import encode_targets, read_examples  # noqa: E402
from training.classifier.metrics import prf  # noqa: E402
from training.config import load_config  # noqa: E402
from training.encoder.export import Int8Scheme, quantize_int8  # noqa: E402


def session(path: Path, threads: int):
    import onnxruntime as ort  # noqa: PLC0415

    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def latency_ms(sess, tok: ChatTokenizer, texts: list[str], prefix: str) -> list[float]:
    feeds = []
    for t in texts:
        b = tok.encode_batch([t], prefix=prefix)
        feeds.append({"input_ids": b.input_ids, "attention_mask": b.attention_mask})
    for f in feeds[:20]:
        sess.run(None, f)
    out = []
    for f in feeds:
        t0 = time.perf_counter()
        sess.run(None, f)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def logits(sess, tok: ChatTokenizer, texts: list[str], prefix: str) -> dict[str, np.ndarray]:
    got: dict[str, list] = {"risk_logits": [], "flags_logits": []}
    for i in range(0, len(texts), 64):
        b = tok.encode_batch(texts[i : i + 64], prefix=prefix)
        r, f = sess.run(list(got), {"input_ids": b.input_ids, "attention_mask": b.attention_mask})
        got["risk_logits"].append(r)
        got["flags_logits"].append(f)
    return {k.removesuffix("_logits"): np.concatenate(v) for k, v in got.items()}


def label_f1(lg: dict[str, np.ndarray], targets, manifest) -> dict[str, float]:
    out = {}
    for head in ("risk", "flags"):
        spec = manifest.heads[head]
        for j, lab in enumerate(spec.labels):
            y = targets.multilabel[head][:, j]
            known = ~np.isnan(y)
            p = 1 / (1 + np.exp(-lg[head][known, j] / spec.temperature))
            out[lab] = prf(y[known].astype(int), (p >= spec.thresholds[lab]).astype(int))["f1"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fp32", type=Path, required=True)
    ap.add_argument("--model-dir", type=Path, default=REPO / "models/konselor-id")
    ap.add_argument("--data", type=Path, default=REPO / "data/build/v1")
    ap.add_argument("--config", type=Path, default=REPO / "training/configs/classifier_chat_stage3.toml",
                    help="the blockwise scheme's settings come from its [export.int8]")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--latency-texts", type=int, default=300)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    blockwise = Int8Scheme.from_config(load_config(args.config)["export"])
    schemes = {"dynamic": Int8Scheme("dynamic"),
               "blockwise": blockwise if blockwise.mode == "blockwise" else Int8Scheme("blockwise")}
    manifest = load_manifest(args.model_dir)
    tok = ChatTokenizer.from_dir(args.model_dir, max_length=manifest.max_length)
    rows = [r for r in read_examples(args.data / "examples.jsonl") if r["split"] in ("dev", "test")
            and not r.get("augmented") and r["source"].startswith("authored_")]
    texts = [r["text"] for r in rows]
    targets = encode_targets(rows, {})
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {"fp32": args.fp32}
        for name, scheme in schemes.items():
            paths[name] = Path(tmp) / f"{name}.onnx"
            quantize_int8(args.fp32, paths[name], scheme)
        for name, path in paths.items():
            sess = session(path, args.threads)
            lat = latency_ms(sess, tok, texts[: args.latency_texts], manifest.prefix)
            results[name] = {"mb": path.stat().st_size / 1e6,
                             "p50_ms": statistics.median(lat), "p99_ms": float(np.percentile(lat, 99)),
                             "f1": label_f1(logits(sess, tok, texts, manifest.prefix), targets, manifest)}
    base = results["fp32"]
    print(f"{len(rows)} authored dev+test rows; {args.latency_texts} single-message calls, {args.threads} threads")
    print(f"{'scheme':10s} {'MB':>6s} {'p50 ms':>7s} {'p99 ms':>7s} {'p50/fp32':>8s}")
    for name, r in results.items():
        print(f"{name:10s} {r['mb']:6.1f} {r['p50_ms']:7.2f} {r['p99_ms']:7.2f} {r['p50_ms'] / base['p50_ms']:8.2f}")
    print(f"\n{'label':16s} {'fp32 F1':>8s} " + " ".join(f"{n:>10s}" for n in schemes))
    for lab, f in base["f1"].items():
        print(f"{lab:16s} {f:8.3f} " + " ".join(f"{results[n]['f1'][lab] - f:+10.3f}" for n in schemes))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
