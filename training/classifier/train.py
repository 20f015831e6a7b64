"""Fine-tune the multi-task classifier from a built dataset; one command, one config file."""

from __future__ import annotations

import json
import logging
import math
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from copilot.labels import CRISIS
from copilot.tokenizer import ChatTokenizer
from training.classifier.calibrate import choose_threshold, fit_temperature, sigmoid
from training.classifier.dataset import (
    Encoded, bucketed_batches, encode_targets, read_examples, sample_train, source_counts,
)
from training.classifier.tasks import HEADS

log = logging.getLogger(__name__)


@dataclass
class TrainResult:
    out_dir: Path
    seconds: float
    steps: int
    device: str


def _device():
    import torch  # noqa: PLC0415

    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def predict_logits(model, tok: ChatTokenizer, texts: list[str], prefix: str, batch_size: int = 64) -> dict[str, np.ndarray]:
    """Head logits for texts (eval mode, no grad), in input order."""
    import torch  # noqa: PLC0415

    model.eval()
    dev = next(model.parameters()).device
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out: dict[str, list] = {h.name: [None] * len(texts) for h in HEADS}
    with torch.inference_mode():
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            b = tok.encode_batch([texts[i] for i in idx], prefix=prefix)
            logits = model(torch.from_numpy(b.input_ids).to(dev), torch.from_numpy(b.attention_mask).to(dev))
            for name, v in logits.items():
                for k, i in enumerate(idx):
                    out[name][i] = v[k].float().cpu().numpy()
    return {k: np.stack(v) if v else np.zeros((0, 1)) for k, v in out.items()}


def build_model(base_dir: Path, tc: dict, random_weights: bool = False):
    """The multi-task model on the base encoder, with the config's frozen parts frozen.
    `random_weights` builds the same architecture from the base's config.json alone (timing only)."""
    from transformers import BertConfig, BertModel  # noqa: PLC0415

    from training.classifier.model import MultiTaskModel  # noqa: PLC0415

    if random_weights:
        enc = BertModel(BertConfig.from_pretrained(base_dir), add_pooling_layer=False)
    else:
        enc = BertModel.from_pretrained(base_dir, add_pooling_layer=False)
    if tc.get("freeze_embeddings", True):
        enc.embeddings.word_embeddings.weight.requires_grad_(False)
    for layer in enc.encoder.layer[: int(tc.get("freeze_layers", 0))]:
        for p in layer.parameters():
            p.requires_grad_(False)
    return MultiTaskModel(enc, enc.config.hidden_size, float(tc["dropout"]))


def make_optimizer(model, tc: dict, total_steps: int):
    """AdamW with the encoder and the heads at their own learning rates, linear warm-up and decay."""
    import torch  # noqa: PLC0415
    from transformers import get_linear_schedule_with_warmup  # noqa: PLC0415

    enc_params = [p for n, p in model.named_parameters() if p.requires_grad and n.startswith("encoder.")]
    head_params = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("encoder.")]
    opt = torch.optim.AdamW(
        [{"params": enc_params, "lr": float(tc["lr"])}, {"params": head_params, "lr": float(tc["head_lr"])}],
        weight_decay=float(tc["weight_decay"]),
    )
    return opt, get_linear_schedule_with_warmup(opt, int(total_steps * float(tc["warmup"])), total_steps)


def train_step(model, opt, sched, batch, data: Encoded, idx: list[int], pos_weight: dict, head_weight: dict):
    """One optimiser step on one tokenised batch, on the model's device: (loss, per-head losses)."""
    import torch  # noqa: PLC0415

    from training.classifier.model import multitask_loss  # noqa: PLC0415

    device = next(model.parameters()).device
    logits = model(torch.from_numpy(batch.input_ids).to(device), torch.from_numpy(batch.attention_mask).to(device))
    ml = {k: torch.from_numpy(v[idx]).to(device) for k, v in data.multilabel.items()}
    mc = {k: torch.from_numpy(v[idx]).to(device) for k, v in data.multiclass.items()}
    w = torch.from_numpy(data.weights[idx]).to(device)
    loss, parts = multitask_loss(logits, ml, mc, w, pos_weight, head_weight)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    opt.zero_grad(set_to_none=True)
    return float(loss.detach()), parts


def train_classifier(cfg: dict) -> TrainResult:
    """Train, calibrate on dev, choose thresholds, save the torch checkpoint and dev predictions."""
    import torch  # noqa: PLC0415
    from safetensors.torch import load_file, save_file  # noqa: PLC0415

    t0 = time.time()
    tc = cfg["train"]
    seed = int(tc["seed"])
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if tc.get("threads"):
        torch.set_num_threads(int(tc["threads"]))
    device = _device()
    data_dir = Path(cfg["data"]["dir"])
    base_dir = Path(cfg["model"]["base_dir"])
    out_dir = Path(cfg["output"]["dir"])
    out_dir.mkdir(parents=True, exist_ok=True)

    rows = read_examples(data_dir / "examples.jsonl")
    exclude = set(cfg["data"].get("exclude_sources", []))
    rows = [r for r in rows if r["source"] not in exclude]
    train_rows = [r for r in rows if r["split"] == "train"]
    dev_rows = [r for r in rows if r["split"] == "dev" and not r.get("augmented")]
    if not cfg["data"].get("augmented", True):
        train_rows = [r for r in train_rows if not r.get("augmented")]
    log.info("data: %d train rows, %d dev rows; train sources %s", len(train_rows), len(dev_rows),
             source_counts(train_rows))

    tok = ChatTokenizer.from_dir(base_dir, max_length=int(tc["max_length"]))
    prefix = cfg["model"]["prefix"]
    model = build_model(base_dir, tc)
    enc = model.encoder
    init = cfg["model"].get("init_checkpoint")
    if init:
        # Continue from an earlier run of this same model (e.g. a domain-adaptation stage).
        model.load_state_dict(load_file(str(Path(init) / "model.safetensors")))
        log.info("initialised from %s", init)
    parent = _init_from_onnx(model, cfg, base_dir) if not init and cfg["model"].get("init_onnx") else None
    model = model.to(device)

    weights = cfg.get("source_weights", {})
    caps = {k: int(v) for k, v in cfg.get("source_caps", {}).items()}
    repeat = {k: int(v) for k, v in cfg.get("source_repeat", {}).items()}
    epochs = int(tc["epochs"])
    bs = int(tc["batch_size"])
    steps_per_epoch = math.ceil(len(sample_train(train_rows, caps, seed, repeat)) / bs)
    total_steps = steps_per_epoch * epochs
    opt, sched = make_optimizer(model, tc, total_steps)
    pos_weight = {k: torch.tensor(v, dtype=torch.float32, device=device)
                  for k, v in cfg.get("pos_weight", {}).items()}
    head_weight = {k: float(v) for k, v in cfg.get("head_weight", {}).items()}
    log.info("training on %s: %d epochs × %d steps (batch %d, max_length %d)", device, epochs,
             steps_per_epoch, bs, tok.max_length)

    step = 0
    for epoch in range(epochs):
        model.train()
        ep_rows = sample_train(train_rows, caps, seed + epoch, repeat)
        data: Encoded = encode_targets(ep_rows, weights)
        lengths = [len(r["text"]) for r in ep_rows]
        batches = bucketed_batches(lengths, bs, seed + epoch)
        t_ep, run_loss = time.time(), 0.0
        for bi, idx in enumerate(batches):
            b = tok.encode_batch([ep_rows[i]["text"] for i in idx], prefix=prefix)
            loss, parts = train_step(model, opt, sched, b, data, idx, pos_weight, head_weight)
            step += 1
            run_loss += loss
            if (bi + 1) % int(tc["log_every"]) == 0 or bi + 1 == len(batches):
                el = time.time() - t_ep
                eta = el / (bi + 1) * (len(batches) - bi - 1)
                log.info("epoch %d/%d step %d/%d loss %.4f (%s) %.1fs elapsed, eta %.0fs",
                         epoch + 1, epochs, bi + 1, len(batches), run_loss / (bi + 1),
                         " ".join(f"{k}={v:.3f}" for k, v in parts.items()), el, eta)

    cal = calibrate_on_dev(model, tok, dev_rows, cfg)
    model.cpu()
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(out_dir / "model.safetensors"))
    enc.config.save_pretrained(out_dir)
    for name in ("tokenizer.json", "normalization.json", "tokenizer_config.json", "provenance.json"):
        if (base_dir / name).exists():
            (out_dir / name).write_bytes((base_dir / name).read_bytes())
    (out_dir / "calibration.json").write_text(json.dumps(cal, indent=2))
    seconds = time.time() - t0
    meta = {"seconds": seconds, "steps": step, "device": str(device), "train_rows": len(train_rows),
            "dev_rows": len(dev_rows), "config": {k: v for k, v in cfg.items() if k != "_meta"},
            "torch_threads": torch.get_num_threads(),
            "device_name": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"}
    if parent:
        meta["parent"] = parent
    (out_dir / "train_meta.json").write_text(json.dumps(meta, indent=2, default=str))
    log.info("training done in %.0f s (%d steps) → %s", seconds, step, out_dir)
    return TrainResult(out_dir, seconds, step, str(device))


def _init_from_onnx(model, cfg: dict, base_dir: Path) -> dict:
    """Start from a shipped int8 classifier (its dequantised weights); see from_onnx.py."""
    import torch  # noqa: PLC0415

    from training.classifier.from_onnx import (  # noqa: PLC0415
        OnnxCheckpointError,
        load_parent,
        state_dict_from_onnx,
    )

    parent_dir = Path(cfg["model"]["init_onnx"])
    if cfg["model"].get("init_onnx_rev"):
        from training.classifier.from_onnx import materialize_parent  # noqa: PLC0415

        parent_dir = materialize_parent(parent_dir, str(cfg["model"]["init_onnx_rev"]),
                                        Path(cfg["output"]["dir"]) / "parent")
    parent = load_parent(parent_dir, cfg["model"].get("init_onnx_version"))
    c = model.encoder.config
    parent_tok = parent_dir / "tokenizer.json"
    sd = state_dict_from_onnx(parent_dir / "model.onnx", base_dir, c.num_hidden_layers, c.hidden_size,
                              parent_tokenizer=parent_tok if parent_tok.exists() else None)
    res = model.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()}, strict=False)
    missing = [k for k in res.missing_keys if not k.endswith("position_ids")]
    if missing or res.unexpected_keys:
        raise OnnxCheckpointError(f"parent {parent_dir}: missing {missing}, unexpected {res.unexpected_keys}")
    log.info("initialised from the shipped model %s %s (%s, int8 weights dequantised)",
             parent.get("name"), parent.get("version"), parent_dir)
    return {"name": parent.get("name"), "version": parent.get("version"), "dir": cfg["model"]["init_onnx"],
            "rev": cfg["model"].get("init_onnx_rev"), "metrics": parent.get("metrics", {}).get("headline")}


def calibrate_on_dev(model, tok: ChatTokenizer, dev_rows: list[dict], cfg: dict) -> dict:
    """Temperatures and thresholds from the model's dev predictions (never test)."""
    log.info("calibrating on %d dev rows", len(dev_rows))
    dev = encode_targets(dev_rows, {})
    dev_logits = predict_logits(model, tok, [r["text"] for r in dev_rows], cfg["model"]["prefix"])
    return calibrate_and_threshold(dev_logits, dev, cfg, _threshold_rows(dev_rows, cfg), _safety_net_hits(dev_rows, cfg))


def _threshold_rows(dev_rows: list[dict], cfg: dict) -> np.ndarray:
    """Mask of the dev rows thresholds are chosen on (the target domain: `thresholds.dev_sources`)."""
    prefixes = tuple(cfg["thresholds"].get("dev_sources", []))
    return np.array([not prefixes or r["source"].startswith(prefixes) for r in dev_rows])


def _safety_net_hits(rows: list[dict], cfg: dict) -> dict[str, np.ndarray] | None:
    """Per crisis label and client row, the model probability from which the runtime's crisis
    lexicon raises the flag by itself: the lexicon's `strong_floor` for a hit of a strong rule, its
    `model_floor` when only weak rules hit (below those the runtime lets the model overrule the
    hit), infinity without a hit.
    (The runtime also keeps weak hits past the model's window; dev rows fit inside it.)"""
    if not cfg["thresholds"].get("crisis_recall_counts_lexicon", False):
        return None
    from copilot.risk_lexicon import RiskLexicon  # noqa: PLC0415

    lex = RiskLexicon.default()
    need = {lab: np.full(len(rows), np.inf) for lab in CRISIS}
    for i, r in enumerate(rows):
        if r["role"] != "client":
            continue
        for lab, hits in lex.flags(r["text"]).items():
            if lab in need:
                need[lab][i] = lex.model_floor_for(hits)
    log.info("crisis lexicon on dev: %s", {k: int(np.isfinite(v).sum()) for k, v in need.items()})
    return need


def recalibrate(cfg: dict) -> Path:
    """Re-run calibration and threshold choice for a trained checkpoint (e.g. after changing the
    threshold rule) without training again; rewrites its calibration.json."""
    import torch  # noqa: PLC0415
    from safetensors.torch import load_file  # noqa: PLC0415
    from transformers import BertConfig, BertModel  # noqa: PLC0415

    from training.classifier.model import MultiTaskModel  # noqa: PLC0415

    ckpt = Path(cfg["output"]["dir"])
    bcfg = BertConfig.from_pretrained(ckpt)
    model = MultiTaskModel(BertModel(bcfg, add_pooling_layer=False), bcfg.hidden_size)
    model.load_state_dict(load_file(str(ckpt / "model.safetensors")))
    model.to(_device())
    if cfg["train"].get("threads"):
        torch.set_num_threads(int(cfg["train"]["threads"]))
    tok = ChatTokenizer.from_dir(ckpt, max_length=int(cfg["train"]["max_length"]))
    cal = calibrate_on_dev(model, tok, dev_rows_of(cfg), cfg)
    (ckpt / "calibration.json").write_text(json.dumps(cal, indent=2))
    log.info("calibration rewritten: %s", ckpt / "calibration.json")
    return ckpt / "calibration.json"


def dev_rows_of(cfg: dict) -> list[dict]:
    """The rows calibration reads: dev, not augmented, sources not excluded by the config."""
    rows = read_examples(Path(cfg["data"]["dir"]) / "examples.jsonl")
    exclude = set(cfg["data"].get("exclude_sources", []))
    return [r for r in rows if r["split"] == "dev" and not r.get("augmented") and r["source"] not in exclude]


def calibrate_on_exported(model_path: Path, tok: ChatTokenizer, cfg: dict) -> dict:
    """Temperatures and thresholds from the exported (int8) graph's dev logits, scored one message
    per call as the runtime scores them: the runtime compares these very scores with the
    thresholds, and int8 moves a message's probability by a few hundredths."""
    import onnxruntime as ort  # noqa: PLC0415

    dev_rows = dev_rows_of(cfg)
    log.info("calibrating on the exported graph's scores of %d dev rows", len(dev_rows))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = int(cfg["train"].get("threads") or 0)
    sess = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
    names = [f"{h.name}_logits" for h in HEADS]
    out: dict[str, list] = {h.name: [] for h in HEADS}
    prefix = cfg["model"]["prefix"]
    for i, r in enumerate(dev_rows):
        b = tok.encode_batch([r["text"]], prefix=prefix)
        res = sess.run(names, {"input_ids": b.input_ids, "attention_mask": b.attention_mask})
        for h, z in zip(HEADS, res):
            out[h.name].append(z[0])
        if (i + 1) % 1000 == 0:
            log.info("  scored %d/%d dev rows", i + 1, len(dev_rows))
    logits = {k: np.stack(v) for k, v in out.items()}
    cal = calibrate_and_threshold(logits, encode_targets(dev_rows, {}), cfg, _threshold_rows(dev_rows, cfg),
                                  _safety_net_hits(dev_rows, cfg))
    cal["scores"] = "int8"
    return cal


def calibrate_and_threshold(logits: dict[str, np.ndarray], dev: Encoded, cfg: dict, thr_mask: np.ndarray,
                            safety_net: dict[str, np.ndarray] | None = None) -> dict:
    """Per head: temperature on all dev rows; per multi-label label: a threshold for the label's job,
    chosen on the dev rows of the target domain (thr_mask: authored chat, not tweets).

    With `safety_net` (per crisis label, the model probability from which the lexicon raises the
    flag: `_safety_net_hits`), the crisis recall target is met by the system — model or lexicon —
    while the model alone must still reach `crisis_min_model_recall`."""
    min_recall = float(cfg["thresholds"]["crisis_min_recall"])
    min_model_recall = float(cfg["thresholds"].get("crisis_min_model_recall", min_recall if safety_net is None else 0.0))
    out: dict = {}
    for h in HEADS:
        if h.type == "multilabel":
            y = dev.multilabel[h.name]
            temp = fit_temperature(logits[h.name], y, "multilabel")
            probs = sigmoid(logits[h.name] / temp)
            th = {}
            for j, lab in enumerate(h.labels):
                known = ~np.isnan(y[:, j]) & thr_mask
                goal = "recall" if lab in CRISIS else "f1"
                cov = (probs[known, j] >= safety_net[lab][known]
                       if safety_net is not None and lab in safety_net else None)
                th[lab] = choose_threshold(probs[known, j], y[known, j].astype(int), goal, min_recall,
                                           covered=cov, min_model_recall=min_model_recall if cov is not None else 0.0)
                th[lab]["dev_positives"] = int(np.nansum(y[known, j]))
            out[h.name] = {"temperature": temp, "thresholds": th}
        else:
            temp = fit_temperature(logits[h.name], dev.multiclass[h.name], "multiclass")
            out[h.name] = {"temperature": temp}
        log.info("head %s: temperature %.3f", h.name, out[h.name]["temperature"])
    return out
