"""Training-step speed of the classifier command, on CPU and (where present) a GPU, one run.

Times the very step `copilot-train classifier build` runs (training.classifier.train.train_step:
forward, multi-task loss, backward, clipping, AdamW) on the config's own batches: the same
sampling, length buckets, batch size and max length, from the config's data build. Weights are
random (built from the base's config.json): the time of a step does not depend on their values,
and the base weights need not travel to a GPU machine. `--save-batches` writes the prepared batches
(token ids and targets, a few hundred kB) so that a machine without the data build can time them
with `--load-batches`. Prints seconds per step per device, the
projected time of one epoch, and each device's speed-up over the CPU baseline measured in the
same run. Figures, not assertions.

    python bench/train_speed.py --config training/configs/classifier_update_8.toml \
        --devices cpu,cuda --cpu-threads 2 --steps 20 --json bench/train_speed.json
    # on a GPU machine that has only the base's config.json:
    python bench/train_speed.py --save-batches /tmp/batches.npz --devices cpu      # here
    python bench/train_speed.py --load-batches batches.npz --set model.base_dir=DIR  # there
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _batches(cfg: dict, n: int):
    """The first n batches of epoch 1 as the training command forms them, and the epoch's length."""
    from copilot.tokenizer import ChatTokenizer
    from training.classifier.dataset import bucketed_batches, encode_targets, read_examples, sample_train

    tc = cfg["train"]
    rows = read_examples(Path(cfg["data"]["dir"]) / "examples.jsonl")
    exclude = set(cfg["data"].get("exclude_sources", []))
    rows = [r for r in rows if r["split"] == "train" and r["source"] not in exclude]
    if not cfg["data"].get("augmented", True):
        rows = [r for r in rows if not r.get("augmented")]
    seed = int(tc["seed"])
    caps = {k: int(v) for k, v in cfg.get("source_caps", {}).items()}
    repeat = {k: int(v) for k, v in cfg.get("source_repeat", {}).items()}
    ep_rows = sample_train(rows, caps, seed, repeat)
    data = encode_targets(ep_rows, cfg.get("source_weights", {}))
    batches = bucketed_batches([len(r["text"]) for r in ep_rows], int(tc["batch_size"]), seed)
    tok = ChatTokenizer.from_dir(cfg["model"]["base_dir"], max_length=int(tc["max_length"]))
    enc = [(tok.encode_batch([ep_rows[i]["text"] for i in idx], prefix=cfg["model"]["prefix"]), idx)
           for idx in batches[:n]]
    return enc, data, len(batches)


def save_batches(path: Path, batches, data, epoch_steps: int) -> None:
    """The prepared batches and their targets, rows in batch order, in one .npz."""
    import numpy as np

    arrays = {"epoch_steps": np.array(epoch_steps)}
    for k, (b, idx) in enumerate(batches):
        arrays[f"ids_{k}"], arrays[f"mask_{k}"] = b.input_ids, b.attention_mask
        arrays[f"w_{k}"] = data.weights[idx]
        for name, v in {**data.multilabel, **data.multiclass}.items():
            arrays[f"y_{name}_{k}"] = v[idx]
    np.savez_compressed(path, **arrays)


def load_batches(path: Path):
    """Inverse of save_batches: ([(Batch, idx)], Encoded over the concatenated rows, epoch_steps)."""
    import numpy as np

    from copilot.tokenizer import Batch
    from training.classifier.dataset import Encoded
    from training.classifier.tasks import HEADS

    z = np.load(path)
    n = sum(1 for k in z.files if k.startswith("ids_"))
    batches, start = [], 0
    for k in range(n):
        ids = z[f"ids_{k}"]
        batches.append((Batch(ids, z[f"mask_{k}"], [], []), list(range(start, start + len(ids)))))
        start += len(ids)
    cat = {h.name: np.concatenate([z[f"y_{h.name}_{k}"] for k in range(n)]) for h in HEADS}
    data = Encoded([], {h.name: cat[h.name] for h in HEADS if h.type == "multilabel"},
                   {h.name: cat[h.name] for h in HEADS if h.type != "multilabel"},
                   np.concatenate([z[f"w_{k}"] for k in range(n)]))
    return batches, data, int(z["epoch_steps"])


def time_device(cfg: dict, device: str, batches, data, warmup: int, autocast: str | None = None) -> dict:
    import torch

    from training.classifier.train import build_model, make_optimizer, train_step

    tc = cfg["train"]
    torch.manual_seed(int(tc["seed"]))
    model = build_model(Path(cfg["model"]["base_dir"]), tc, random_weights=True).to(device)
    model.train()
    opt, sched = make_optimizer(model, tc, len(batches) + warmup + 1)
    pos_weight = {k: torch.tensor(v, dtype=torch.float32, device=device) for k, v in cfg.get("pos_weight", {}).items()}
    head_weight = {k: float(v) for k, v in cfg.get("head_weight", {}).items()}
    sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
    if device.startswith("cuda"):
        torch.cuda.reset_peak_memory_stats(device)

    def step(b, idx):
        if autocast:
            with torch.autocast(device_type=device.split(":")[0], dtype=getattr(torch, autocast)):
                return train_step(model, opt, sched, b, data, idx, pos_weight, head_weight)
        return train_step(model, opt, sched, b, data, idx, pos_weight, head_weight)

    for b, idx in batches[:warmup]:
        step(b, idx)
    sync()
    times, tokens = [], 0
    for b, idx in batches[warmup:]:
        t = time.perf_counter()
        step(b, idx)  # train_step reads the loss back (float), so the step has finished on the device
        sync()
        times.append(time.perf_counter() - t)
        tokens += int(b.attention_mask.sum())
    out = {"device": device, "steps_timed": len(times), "s_per_step_mean": statistics.fmean(times),
           "s_per_step_median": statistics.median(times), "tokens_per_s": tokens / sum(times)}
    if autocast:
        out["autocast"] = autocast
    if device.startswith("cuda"):
        out["device_name"] = torch.cuda.get_device_name(device)
        out["peak_memory_mib"] = round(torch.cuda.max_memory_allocated(device) / 2**20, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="training/configs/classifier_update_8.toml")
    ap.add_argument("--set", action="append", default=[], help="config override, key=value")
    ap.add_argument("--devices", default="cpu,cuda", help="comma list; cuda is skipped, with a note, where absent")
    ap.add_argument("--cpu-threads", type=int, default=2, help="torch threads for the CPU baseline (CI has 2 cores)")
    ap.add_argument("--steps", type=int, default=20, help="timed steps per device")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--autocast", default="", help="also time the GPU under autocast at this dtype, e.g. bfloat16")
    ap.add_argument("--save-batches", help="write the prepared batches here (.npz)")
    ap.add_argument("--load-batches", help="time these prepared batches instead of reading the data build")
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args()

    import torch

    from training.config import load_config

    cfg = load_config(args.config, args.set)
    torch.set_num_threads(args.cpu_threads)
    if args.load_batches:
        batches, data, epoch_steps = load_batches(Path(args.load_batches))
    else:
        batches, data, epoch_steps = _batches(cfg, args.warmup + args.steps)
    if args.save_batches:
        save_batches(Path(args.save_batches), batches, data, epoch_steps)
    lengths = [int(b.input_ids.shape[1]) for b, _ in batches]
    print(f"config {args.config}: batch {cfg['train']['batch_size']}, max_length {cfg['train']['max_length']}, "
          f"{epoch_steps} steps per epoch; timed batches padded to {min(lengths)}–{max(lengths)} tokens "
          f"(median {statistics.median(lengths):.0f})", flush=True)
    runs, notes = [], []
    for dev in [d.strip() for d in args.devices.split(",") if d.strip()]:
        if dev.startswith("cuda") and not torch.cuda.is_available():
            notes.append(f"{dev}: no CUDA device on this machine, not timed")
            print(notes[-1], flush=True)
            continue
        variants = [None] + ([args.autocast] if args.autocast and dev.startswith("cuda") else [])
        for ac in variants:
            r = time_device(cfg, dev, batches, data, args.warmup, ac)
            r["epoch_minutes_projected"] = round(r["s_per_step_mean"] * epoch_steps * int(cfg["train"]["epochs"]) / 60, 2)
            runs.append(r)
    base = next((r for r in runs if r["device"] == "cpu"), None)
    for r in runs:
        if base and r is not base:
            r["speedup_vs_cpu"] = round(base["s_per_step_mean"] / r["s_per_step_mean"], 1)
        name = r.get("device_name", f"cpu, {args.cpu_threads} torch threads") + (f", autocast {r['autocast']}" if r.get("autocast") else "")
        print(f"{r['device']:>5} ({name}): {r['s_per_step_mean']:.3f} s/step mean, {r['s_per_step_median']:.3f} median, "
              f"{r['tokens_per_s']:.0f} tokens/s; {cfg['train']['epochs']} epoch(s) ≈ {r['epoch_minutes_projected']:.1f} min"
              + (f"; {r['speedup_vs_cpu']}× the CPU" if "speedup_vs_cpu" in r else ""), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({
            "config": args.config, "epoch_steps": epoch_steps, "epochs": int(cfg["train"]["epochs"]),
            "batch_size": int(cfg["train"]["batch_size"]), "max_length": int(cfg["train"]["max_length"]),
            "padded_lengths": {"min": min(lengths), "median": statistics.median(lengths), "max": max(lengths)},
            "torch": torch.__version__, "python": platform.python_version(), "machine": platform.machine(),
            "cpu_threads": args.cpu_threads, "runs": runs, "notes": notes,
            "weights": "random (step time does not depend on their values)",
        }, indent=2) + "\n")


if __name__ == "__main__":
    main()
