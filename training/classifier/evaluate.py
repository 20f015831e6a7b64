"""The evaluation report: the shipped int8 model and the full analyzer on the project's test split."""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from pathlib import Path

import numpy as np

from copilot.analyzer import CHUNK, Analyzer
from copilot.contact_recognizer import ContactRecognizer
from copilot.labels import CLIENT_RISK, COUNSELOR_FLAGS, CRISIS, EMOTIONS, SKILLS
from copilot.onnx_encoder import OnnxEncoder
from copilot.risk_lexicon import RiskLexicon
from training.classifier.calibrate import expected_calibration_error, sigmoid, softmax
from training.classifier.dataset import read_examples
from training.classifier.metrics import bootstrap_prf, confusion, macro_f1, prf

log = logging.getLogger(__name__)


def _known(rows: list[dict], key: str, label: str) -> tuple[np.ndarray, np.ndarray]:
    idx = [i for i, r in enumerate(rows) if label in (r["targets"][key] or {})]
    y = np.array([rows[i]["targets"][key][label] for i in idx], dtype=int)
    return np.array(idx, dtype=int), y


def onnx_probs(enc: OnnxEncoder, texts: list[str]) -> dict[str, np.ndarray]:
    """Calibrated probabilities of every head, from the ONNX model, in input order."""
    m = enc.manifest
    out: dict[str, list] = {k: [None] * len(texts) for k in m.heads}
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for s in range(0, len(order), CHUNK):  # one message per call, as the runtime scores them
        idx = order[s : s + CHUNK]
        res = enc.run([texts[i] for i in idx], [h.output for h in m.heads.values()]).outputs
        for name, h in m.heads.items():
            z = res[h.output] / h.temperature
            p = sigmoid(z) if h.type == "multilabel" else softmax(z)
            for k, i in enumerate(idx):
                out[name][i] = p[k]
    return {k: np.stack(v) for k, v in out.items()}


def evaluate(cfg: dict, split: str = "test", fp32_ckpt: Path | None = None) -> dict:
    """Compute the report, write JSON/Markdown/PNGs next to the checkpoint; returns the report."""
    t0 = time.time()
    model_dir = Path(cfg["output"]["model_dir"])
    out_dir = Path(cfg["output"]["dir"]) / "eval"
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = [r for r in read_examples(Path(cfg["data"]["dir"]) / "examples.jsonl")
            if r["split"] == split and not r.get("augmented")]
    client = [r for r in rows if r["role"] == "client"]
    counselor = [r for r in rows if r["role"] == "counselor"]
    enc = OnnxEncoder(model_dir)
    analyzer = Analyzer(enc, RiskLexicon.default(), ContactRecognizer())
    m = enc.manifest
    log.info("evaluating on %d client and %d counselor %s rows", len(client), len(counselor), split)

    pc = onnx_probs(enc, [r["text"] for r in client])
    pk = onnx_probs(enc, [r["text"] for r in counselor])
    t_an = time.time()
    sys_c = analyzer.analyze([r["text"] for r in client], "client")
    sys_k = analyzer.analyze([r["text"] for r in counselor], "counselor")
    per_msg_ms = (time.time() - t_an) / max(len(client) + len(counselor), 1) * 1000

    fp32 = _fp32_probs(cfg, fp32_ckpt, client, counselor) if fp32_ckpt else None
    report: dict = {"split": split, "rows": {"client": len(client), "counselor": len(counselor)},
                    "model": f"{m.name} {m.version}", "labels": {}, "slices": {}, "int8_vs_fp32": {}}

    def label_block(rows_, key, labels, probs, system, head):
        for j, lab in enumerate(labels):
            idx, y = _known(rows_, key, lab)
            if len(idx) == 0:
                continue
            th = m.heads[head].thresholds.get(lab, 0.5)
            pred_model = (probs[head][idx, j] >= th).astype(int)
            pred_sys = np.array([int(lab in system[i].flags) for i in idx])
            report["labels"][lab] = {
                "model": bootstrap_prf(y, pred_model), "system": bootstrap_prf(y, pred_sys),
                "threshold": th, "crisis": lab in CRISIS,
            }
            auth = np.array([rows_[i]["source"].startswith("authored_") for i in idx])
            reg = np.array([rows_[i].get("register") or "" for i in idx])
            report["slices"][lab] = {
                name: prf(y[sel], pred_sys[sel])
                for name, sel in (("authored", auth), ("public", ~auth),
                                  ("informal", reg == "informal"), ("formal", reg == "formal"))
                if sel.any()
            }
            if fp32 is not None:
                f32 = (fp32[head][idx, j] >= th).astype(int)
                report["int8_vs_fp32"][lab] = {"int8_f1": prf(y, pred_model)["f1"], "fp32_f1": prf(y, f32)["f1"]}
            _pr_curve(out_dir / f"pr_{lab}.png", y, probs[head][idx, j], th, lab)

    label_block(client, "risk", CLIENT_RISK, pc, sys_c, "risk")
    label_block(counselor, "flags", COUNSELOR_FLAGS, pk, sys_k, "flags")

    # hard negatives: client messages that look risky (idioms, someone else's crisis, the news; in
    # the public suicide set, tweets that mention suicide) — a flag raised on one is a false alarm
    # unless the row is labelled with it.
    def false_flags(i: int) -> list[str]:
        known = client[i]["targets"]["risk"]
        return [f for f in sys_c[i].flags if known.get(f) == 0]

    def hn_block(idx: list[int]) -> dict:
        if not idx:
            return {"n": 0, "any_flag_rate": None, "crisis_flag_rate": None, "false_flags": {}, "false_flag_origins": {}}
        ff = [false_flags(i) for i in idx]
        # who raised each false flag: the model, the crisis lexicon (a safety net the model cannot
        # overrule, except below its floors), contact patterns, or several of them
        origins = Counter("+".join(sorted(set(sys_c[i].flag_origins.get(x, [])))) or "model"
                          for i, f in zip(idx, ff) for x in f)
        return {"n": len(idx), "any_flag_rate": float(np.mean([bool(f) for f in ff])),
                "crisis_flag_rate": float(np.mean([any(x in CRISIS for x in f) for f in ff])),
                "false_flags": dict(Counter(x for f in ff for x in f).most_common()),
                "false_flag_origins": dict(origins.most_common())}

    hn = [i for i, r in enumerate(client) if r.get("hard_negative")]
    report["hard_negatives"] = hn_block(hn)
    report["hard_negatives"]["authored"] = hn_block([i for i in hn if client[i]["source"].startswith("authored_")])
    report["hard_negatives"]["public"] = hn_block([i for i in hn if not client[i]["source"].startswith("authored_")])
    # skill and emotion
    for head, labels, rows_, probs, key in (("skill", SKILLS, counselor, pk, "skill"),
                                            ("emotion", EMOTIONS, client, pc, "emotion")):
        idx = [i for i, r in enumerate(rows_) if r["targets"][key]]
        if not idx:
            continue
        y = np.array([labels.index(rows_[i]["targets"][key]) for i in idx])
        pred = probs[head][idx].argmax(1)
        auth = np.array([rows_[i]["source"].startswith("authored_") for i in idx])
        block = {"accuracy": float((y == pred).mean()), "macro_f1": macro_f1(y, pred, len(labels)),
                 "n": len(idx), "confusion": confusion(y, pred, len(labels)), "labels": list(labels)}
        if auth.any():
            block["authored_accuracy"] = float((y[auth] == pred[auth]).mean())
            block["authored_confusion"] = confusion(y[auth], pred[auth], len(labels))
        if (~auth).any():
            block["public_accuracy"] = float((y[~auth] == pred[~auth]).mean())
        ece, table = expected_calibration_error(probs[head][idx].max(1), (y == pred).astype(float))
        block["ece"], block["reliability"] = ece, table
        _reliability_plot(out_dir / f"reliability_{head}.png", table, head)
        report[head] = block
    # calibration of the multi-label heads (every known binary decision pooled)
    for head, rows_, probs, key, labels in (("risk", client, pc, "risk", CLIENT_RISK),
                                            ("flags", counselor, pk, "flags", COUNSELOR_FLAGS)):
        ps, ys = [], []
        for j, lab in enumerate(labels):
            idx, y = _known(rows_, key, lab)
            ps.append(probs[head][idx, j])
            ys.append(y)
        ece, table = expected_calibration_error(np.concatenate(ps), np.concatenate(ys).astype(float))
        report[f"{head}_calibration"] = {"ece": ece, "reliability": table}
        _reliability_plot(out_dir / f"reliability_{head}.png", table, head)

    report["headline"] = headline(report)
    report["timing"] = {"analyzer_ms_per_message": per_msg_ms, "seconds": time.time() - t0}
    report["model_bytes"] = (model_dir / "model.onnx").stat().st_size
    (out_dir / "report.json").write_text(json.dumps(report, indent=2))
    (out_dir / "report.md").write_text(render_markdown(report))
    log.info("evaluation written to %s", out_dir)
    return report


def _headline_from(per_label: dict[str, dict]) -> dict:
    crisis = [per_label[k] for k in CRISIS if k in per_label]
    return {
        "crisis_recall_min": min((v["recall"] for v in crisis), default=None),
        "crisis_precision_min": min((v["precision"] for v in crisis), default=None),
        "client_macro_f1": float(np.mean([per_label[k]["f1"] for k in CLIENT_RISK if k in per_label])),
        "counselor_macro_f1": float(np.mean([per_label[k]["f1"] for k in COUNSELOR_FLAGS if k in per_label])),
    }


def headline(r: dict) -> dict:
    """System figures on every test row, and on the chat domain alone (authored messages: the
    public sets' labels are proxies — a tweet insulting someone is not an insult at a counselor)."""
    L = r["labels"]
    out = _headline_from({k: v["system"] for k, v in L.items()})
    out.update({
        "skill_accuracy": r.get("skill", {}).get("authored_accuracy", r.get("skill", {}).get("accuracy")),
        "hard_negative_fpr": r["hard_negatives"]["any_flag_rate"],
        "targets": {"crisis_recall": 0.95, "crisis_precision": 0.80, "client_macro_f1": 0.85,
                    "counselor_macro_f1": 0.85, "skill_accuracy": 0.85, "hard_negative_fpr": 0.10},
    })
    chat = {k: sl["authored"] for k, sl in r["slices"].items() if "authored" in sl}
    out["chat_domain"] = _headline_from(chat)
    out["chat_domain"]["hard_negative_fpr"] = r["hard_negatives"].get("authored", {}).get("any_flag_rate")
    return out


def render_markdown(r: dict) -> str:
    h = r["headline"]
    lines = [f"# Evaluation: {r['model']} on the `{r['split']}` split", "",
             f"Rows: {r['rows']['client']} client, {r['rows']['counselor']} counselor (augmented rows excluded).", "",
             "## Headline (system = model + lexicon + patterns)", "",
             "Chat domain = authored chat messages only; the public sets' labels are proxies.", "",
             "| metric | all test rows | chat domain | target |", "|---|---|---|---|"]
    chat = h.get("chat_domain", {})

    def cell(v):
        return f"{v:.3f}" if v is not None else "—"

    for k in ("crisis_recall_min", "crisis_precision_min", "client_macro_f1", "counselor_macro_f1",
              "skill_accuracy", "hard_negative_fpr"):
        t = {"crisis_recall_min": "≥ 0.95", "crisis_precision_min": "≥ 0.80", "client_macro_f1": "≥ 0.85",
             "counselor_macro_f1": "≥ 0.85", "skill_accuracy": "≥ 0.85", "hard_negative_fpr": "≤ 0.10"}[k]
        lines.append(f"| {k} | {cell(h[k])} | {cell(chat.get(k, h[k] if k in ('skill_accuracy', 'hard_negative_fpr') else None))} | {t} |")
    lines += ["", "## Per label (95% bootstrap CI)", "",
              "| label | n | support | system P | system R | system F1 [CI] | model F1 | threshold |",
              "|---|---|---|---|---|---|---|---|"]
    for lab, b in r["labels"].items():
        s, mo = b["system"], b["model"]
        ci = s.get("f1_ci", [0, 0])
        lines.append(f"| {lab} | {s['n']} | {s['support']} | {s['precision']:.3f} | {s['recall']:.3f} | "
                     f"{s['f1']:.3f} [{ci[0]:.2f}, {ci[1]:.2f}] | {mo['f1']:.3f} | {b['threshold']:.3f} |")
    lines += ["", "## Slices (system F1)", "", "| label | authored | public | informal | formal |", "|---|---|---|---|---|"]
    for lab, sl in r["slices"].items():
        cells = [f"{sl[k]['f1']:.3f} (n={sl[k]['n']})" if k in sl else "—" for k in ("authored", "public", "informal", "formal")]
        lines.append(f"| {lab} | " + " | ".join(cells) + " |")
    if r["int8_vs_fp32"]:
        lines += ["", "## int8 vs fp32 (model F1)", "", "| label | int8 | fp32 | Δ |", "|---|---|---|---|"]
        for lab, v in r["int8_vs_fp32"].items():
            lines.append(f"| {lab} | {v['int8_f1']:.3f} | {v['fp32_f1']:.3f} | {v['int8_f1'] - v['fp32_f1']:+.3f} |")
    for head in ("skill", "emotion"):
        if head in r:
            b = r[head]
            lines += ["", f"## {head}", "", f"accuracy {b['accuracy']:.3f}, macro-F1 {b['macro_f1']:.3f}, n={b['n']}, ECE {b['ece']:.3f}"
                      + (f"; authored accuracy {b['authored_accuracy']:.3f}" if "authored_accuracy" in b else "")
                      + (f"; public-source accuracy {b['public_accuracy']:.3f}" if "public_accuracy" in b else ""), ""]
            conf = b.get("authored_confusion", b["confusion"])
            lines.append("| true \\ predicted | " + " | ".join(b["labels"]) + " |")
            lines.append("|---" * (len(b["labels"]) + 1) + "|")
            for lab, row in zip(b["labels"], conf):
                lines.append(f"| {lab} | " + " | ".join(str(x) for x in row) + " |")
    hn = r["hard_negatives"]
    lines += ["", "## Hard negatives (a flag the row is not labelled with)", ""]
    if not hn["n"]:
        lines.append("none in split")
    for name, b in (("all", hn), ("authored chat", hn.get("authored")), ("public sets", hn.get("public"))):
        if b and b["n"]:
            lines.append(f"- {name}: {b['n']} messages; a false flag on {b['any_flag_rate']:.3f}, a false crisis flag on "
                         f"{b['crisis_flag_rate']:.3f}; by label: "
                         + ", ".join(f"{k} {v}" for k, v in b["false_flags"].items())
                         + "; raised by: " + ", ".join(f"{k} {v}" for k, v in b.get("false_flag_origins", {}).items()))
    lines += ["", f"Calibration ECE: risk {r['risk_calibration']['ece']:.3f}, flags {r['flags_calibration']['ece']:.3f}. "
              "PR curves and reliability plots: `pr_<label>.png`, `reliability_<head>.png`."]
    return "\n".join(lines) + "\n"


def _fp32_probs(cfg, ckpt: Path, client, counselor):
    import torch  # noqa: PLC0415
    from safetensors.torch import load_file  # noqa: PLC0415
    from transformers import BertConfig, BertModel  # noqa: PLC0415

    from copilot.tokenizer import ChatTokenizer  # noqa: PLC0415
    from training.classifier.model import MultiTaskModel  # noqa: PLC0415
    from training.classifier.train import predict_logits  # noqa: PLC0415

    bcfg = BertConfig.from_pretrained(ckpt)
    model = MultiTaskModel(BertModel(bcfg, add_pooling_layer=False), bcfg.hidden_size)
    model.load_state_dict(load_file(str(ckpt / "model.safetensors")))
    tok = ChatTokenizer.from_dir(ckpt, max_length=int(cfg["export"]["max_length"]))
    cal = json.loads((ckpt / "calibration.json").read_text())
    out = {}
    for rows_, heads in ((client, ("risk", "emotion")), (counselor, ("flags", "skill"))):
        lg = predict_logits(model, tok, [r["text"] for r in rows_], cfg["model"]["prefix"])
        for h in heads:
            z = lg[h] / cal[h]["temperature"]
            out[h] = sigmoid(z) if h in ("risk", "flags") else softmax(z)
    torch.set_num_threads(torch.get_num_threads())
    return out


def _pr_curve(path: Path, y: np.ndarray, p: np.ndarray, th: float, label: str) -> None:
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    if y.sum() == 0:
        return
    ts = np.unique(p)[::-1]
    prec, rec = [], []
    for t in ts:
        pred = p >= t
        tp = (pred & (y == 1)).sum()
        prec.append(tp / max(pred.sum(), 1))
        rec.append(tp / y.sum())
    fig, ax = plt.subplots(figsize=(4, 3.2))
    ax.plot(rec, prec)
    pred = p >= th
    ax.scatter([(pred & (y == 1)).sum() / y.sum()], [(pred & (y == 1)).sum() / max(pred.sum(), 1)], c="red", zorder=3,
               label=f"threshold {th:.2f}")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_title(f"PR: {label}")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _reliability_plot(path: Path, table: list[dict], head: str) -> None:
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    fig, ax = plt.subplots(figsize=(4, 3.2))
    ax.plot([0, 1], [0, 1], "--", color="grey")
    ax.plot([t["confidence"] for t in table], [t["accuracy"] for t in table], "o-")
    ax.set_xlabel("predicted probability")
    ax.set_ylabel("observed frequency")
    ax.set_title(f"Reliability: {head}")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
