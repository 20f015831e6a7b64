"""Encoder latency benchmark: ONNX int8 vs ONNX fp32 vs PyTorch eager, same weights, one run.

Prints single-message latency p50/p99 at 16, 32 and 64 tokens and batch-of-32 throughput,
with ratios against PyTorch eager. Figures, not assertions: this machine is noisy.

    python bench/encoder_latency.py --onnx-dir artifacts/encoder/e5-small-id/onnx \
        --torch-dir artifacts/encoder/e5-small-id/trimmed
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np

SAMPLE = (
    "kak aku bingung bgt harus mulai dari mana, udah seminggu ini gak bisa tidur, kerjaan numpuk, "
    "pacar juga ngejauh, rasanya cape bgt sama semuanya dan pengen ngilang aja dari grup kantor "
    "tapi takut dibilang baperan sama temen2, gimana ya kak aku harus ngapain sekarang"
)


def token_batch(tokenizer, n_tokens: int, batch: int = 1):
    ids = tokenizer.ids(SAMPLE * 4, prefix="query: ")
    row = ids[: n_tokens - 1] + [ids[-1]]
    x = np.array([row] * batch, dtype=np.int64)
    return x, np.ones_like(x)


def timed(fn, warmup: int, runs: int) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.array(xs), q))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--onnx-dir", default="artifacts/encoder/e5-small-id/onnx")
    ap.add_argument("--torch-dir", default="artifacts/encoder/e5-small-id/trimmed")
    ap.add_argument("--threads", type=int, default=min(4, os.cpu_count() or 1))
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args()

    import onnxruntime as ort
    import torch
    from transformers import BertModel

    from copilot.onnx_encoder import session_options
    from copilot.tokenizer import ChatTokenizer

    torch.set_num_threads(args.threads)
    onnx_dir = Path(args.onnx_dir)
    tok = ChatTokenizer.from_dir(onnx_dir)
    sessions = {
        name: ort.InferenceSession(str(onnx_dir / f), sess_options=session_options(args.threads),
                                   providers=["CPUExecutionProvider"])
        for name, f in (("onnx-int8", "model.onnx"), ("onnx-fp32", "model.fp32.onnx"))
    }
    model = BertModel.from_pretrained(args.torch_dir, add_pooling_layer=False).eval()

    def runner(name: str, ids: np.ndarray, mask: np.ndarray):
        if name == "torch-eager":
            ti, tm = torch.from_numpy(ids), torch.from_numpy(mask)

            def f():
                with torch.inference_mode():
                    h = model(input_ids=ti, attention_mask=tm).last_hidden_state
                    m = tm.unsqueeze(-1).to(h.dtype)
                    torch.nn.functional.normalize((h * m).sum(1) / m.sum(1), dim=-1)
            return f
        sess = sessions[name]
        return lambda: sess.run(["sentence_embedding"], {"input_ids": ids, "attention_mask": mask})

    engines = ["onnx-int8", "onnx-fp32", "torch-eager"]
    results: dict = {"threads": args.threads, "cpu_count": os.cpu_count(), "single": {}, "batch32": {}}
    print(f"threads={args.threads} runs={args.runs}")
    print(f"{'engine':<12} {'tokens':>6} {'p50 ms':>8} {'p99 ms':>8} {'x vs torch p50':>15}")
    for n in (16, 32, 64):
        ids, mask = token_batch(tok, n)
        row = {}
        for e in engines:
            xs = timed(runner(e, ids, mask), warmup=20, runs=args.runs)
            row[e] = {"p50": pct(xs, 50), "p99": pct(xs, 99), "mean": statistics.fmean(xs)}
        for e in engines:
            ratio = row["torch-eager"]["p50"] / row[e]["p50"]
            print(f"{e:<12} {n:>6} {row[e]['p50']:>8.2f} {row[e]['p99']:>8.2f} {ratio:>15.2f}")
        results["single"][n] = row
    print(f"\n{'engine':<12} {'batch':>6} {'msg/s':>10} {'x vs torch':>11}   (32 messages × 32 tokens)")
    ids, mask = token_batch(tok, 32, batch=32)
    thr = {}
    for e in engines:
        xs = timed(runner(e, ids, mask), warmup=3, runs=max(10, args.runs // 10))
        thr[e] = 32 / (statistics.median(xs) / 1000)
    for e in engines:
        print(f"{e:<12} {32:>6} {thr[e]:>10.1f} {thr[e] / thr['torch-eager']:>11.2f}")
    results["batch32"] = thr
    sizes = {e: (onnx_dir / f).stat().st_size for e, f in (("onnx-int8", "model.onnx"), ("onnx-fp32", "model.fp32.onnx"))}
    print("\nmodel files: " + ", ".join(f"{e} {b / 1e6:.1f} MB" for e, b in sizes.items()))
    results["sizes"] = sizes
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
