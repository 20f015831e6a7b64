"""The model card, generated from the training run, the export and the evaluation report."""

from __future__ import annotations

import json
from pathlib import Path

from copilot.model_dir import MANIFEST, load_manifest


# Seconds per training step on 2 CPU cores, measured over the last full CPU build of this recipe
# (4034 steps in 100 minutes, 2026-11-26); used to state the CPU time of a GPU-trained model.
CPU_SECONDS_PER_STEP = 1.49


def _int8_words(export: dict) -> str:
    q = export.get("int8_scheme") or {"mode": "dynamic"}
    if q["mode"] == "blockwise":
        return (f"int8: embedding and attention dynamically quantised, every other MatMul weight-only 8-bit "
                f"(one scale per {q['block_size']} weights, accuracy level {q['accuracy_level']})")
    return "dynamic int8 (every weight)"


def _stage_lines(meta: dict) -> list[str]:
    """One line per training stage (following init_checkpoint back), and the total time."""
    stages = [meta]
    while stages[0]["config"]["model"].get("init_checkpoint"):
        prev = Path(stages[0]["config"]["model"]["init_checkpoint"]) / "train_meta.json"
        if not prev.exists():
            break
        stages.insert(0, json.loads(prev.read_text()))
    lines = []
    parent = stages[0].get("parent")
    if parent:
        lines.append(
            f"- Stage 0: the shipped model {parent['name']} {parent['version']}"
            + (f" (`{parent['dir']}` at commit {parent['rev']})" if parent.get("rev") else f" (`{parent['dir']}`)")
            + ", trained as that version's card describes; the stages below continue from its int8 weights,"
            " dequantised (training/classifier/from_onnx.py). Its fp32 checkpoint was not kept.")
    for k, m in enumerate(stages, 1):
        t = m["config"]["train"]
        rep = m["config"].get("source_repeat") or {}
        lines.append(
            f"- Stage {k} of {len(stages)}: {t['epochs']} epochs, batch {t['batch_size']}, lr {t['lr']}"
            + (f", authored rows ×{max(rep.values())} per epoch" if rep else "")
            + (", continued from the previous stage" if m["config"]["model"].get("init_checkpoint") else "")
            + f"; on {m.get('device_name') or m['device']} ({m.get('torch_threads')} CPU threads): "
            + f"{m['seconds'] / 60:.1f} minutes, {m['steps']} steps."
            + (f" {m['note']}" if m.get("note") else "")
        )
    total = sum(m["seconds"] for m in stages) / 60
    steps = sum(m["steps"] for m in stages)
    if parent:
        lines.append(f"- Training time of this update: {total:.0f} minutes (`copilot-train classifier build`), {steps} "
                     f"steps; from scratch, add the time of {parent['name']} {parent['version']} in its card.")
    else:
        lines.append(f"- Training time in all: {total:.0f} minutes (`copilot-train classifier build`), {steps} steps.")
    if any(m["device"] != "cpu" for m in stages):
        lines.append(f"- On 2 CPU cores the same steps take about {steps * CPU_SECONDS_PER_STEP / 60:.0f} minutes "
                     f"(estimate: {CPU_SECONDS_PER_STEP} s per step, measured over a whole CPU build of this recipe).")
    return lines


def _dev_positive_range(cal: dict) -> str:
    counts = [t["dev_positives"] for head in ("risk", "flags")
              for t in cal.get(head, {}).get("thresholds", {}).values() if isinstance(t.get("dev_positives"), int)]
    return f"{min(counts)}–{max(counts)}" if counts else "a few dozen"


def _dev_lines(cal: dict) -> list[str]:
    """Dev ranking quality and the threshold's bootstrap spread per label (from calibration)."""
    if not cal:
        return []
    lines = ["## Thresholds on dev (authored chat rows)", "",
             "| label | goal | threshold | bootstrap IQR | dev P | dev R | dev AUC | dev AP | dev positives |",
             "|---|---|---|---|---|---|---|---|---|"]
    for head in ("risk", "flags"):
        for lab, t in cal.get(head, {}).get("thresholds", {}).items():
            iqr = t.get("bootstrap_iqr")
            lines.append(
                f"| {lab} | {t['goal']} | {t['threshold']:.3f} | "
                + (f"{iqr[0]:.3f}–{iqr[1]:.3f}" if iqr else "—")
                + f" | {t.get('precision', 0):.3f} | {t.get('recall', 0):.3f} | {t.get('auc', float('nan')):.3f} | "
                f"{t.get('ap', float('nan')):.3f} | {t.get('dev_positives', '?')} |"
            )
    return lines + [""]


def write_card(cfg: dict, report: dict) -> Path:
    """Write README.md (the card) into the shipped model directory and the headline into its manifest."""
    model_dir = Path(cfg["output"]["model_dir"])
    ckpt = Path(cfg["output"]["dir"])
    meta = json.loads((ckpt / "train_meta.json").read_text())
    export = json.loads((ckpt / "export_report.json").read_text()) if (ckpt / "export_report.json").exists() else {}
    on_int8 = cfg["thresholds"].get("scores", "fp32") == "int8" and (ckpt / "calibration_int8.json").exists()
    cal_file = ckpt / ("calibration_int8.json" if on_int8 else "calibration.json")
    cal = json.loads(cal_file.read_text()) if cal_file.exists() else {}
    man = load_manifest(model_dir)
    h = report["headline"]
    md = (ckpt / "eval" / "report.md").read_text()
    size_mb = (model_dir / "model.onnx").stat().st_size / 1e6
    lines = [
        "---",
        "language: [id, en]",
        "license: other  # non-commercial: trained on CC BY-NC-SA / BY-NC-ND / BY-NC data (see data cards)",
        f"base_model: {man.base_model.get('original_model', man.base_model.get('source'))}",
        "pipeline_tag: text-classification",
        "---",
        f"# {man.name} {man.version}",
        "",
        "One int8 ONNX model (multilingual-e5-small, vocabulary trimmed, fine-tuned) that reads one chat",
        "message per encoder pass and returns: client risk flags (multi-label), counselor draft flags",
        "(multi-label), the counselor's skill (one of four) and the client's emotion (one of nine), plus",
        "per-token logit contributions used as evidence spans.",
        "",
        "## Intended use",
        "Decision support for trained counselors of an Indonesian online-counseling app, inside Konselor",
        "Copilot: real-time risk alerts with evidence and the guideline's protocol step, a lint on the",
        "counselor's draft, skill counts for supervision. A counselor always decides; an alert is a prompt",
        "to look, not a diagnosis.",
        "",
        "## Out-of-scope use",
        "- Diagnosis, triage without a human, or any decision about a person made by the model alone.",
        "- Screening social-media users, employees or students; surveillance of any kind.",
        "- Languages other than Indonesian (and English counselor text, weakly); long documents (input is",
        f"  truncated to {man.max_length} tokens).",
        "- Commercial use: several training sets are licensed non-commercial (see the data cards).",
        "",
        "## Training",
        f"- Data: `{cfg['data']['dir']}` ({meta['train_rows']} training rows before per-epoch caps; "
        f"{meta['dev_rows']} dev rows). Authored Indonesian chat data (fictional, written for the project)",
        "  plus public Indonesian tweets (suicidal ideation, abusive language as a down-weighted proxy,",
        "  emotion) and English counseling corpora (skills). See `data_cards/`.",
    ] + _stage_lines(meta) + [
        "- Temperature scaling per head on dev; thresholds per label on the authored dev rows"
        + (", both on the shipped int8 graph's scores (one message per call, as the runtime scores)" if on_int8 else "")
        + ": the crisis",
        "  flags (suicidal, harm_others, kdrt, acute_disorder) at the highest threshold keeping the system's",
        "  dev recall (model or crisis lexicon) ≥ 0.95 and the model's own dev recall ≥ 0.90; the others at",
        f"  maximum dev F1. A label has only {_dev_positive_range(cal)} dev positives, so each threshold",
        "  is uncertain: its bootstrap interquartile range is in the table below.",
        f"- Export: ONNX opset 17, fused attention ({export.get('fused_attention', '?')} nodes), {_int8_words(export)};",
        f"  {size_mb:.1f} MB. Parity: " + ", ".join(
            f"{p['name']} cos ≥ {p['min_cosine']:.4f}" for p in export.get("int8", []) if p["name"] == "sentence_embedding"
        ) + " (int8 vs torch).",
        "",
    ] + _dev_lines(cal) + [
        "## Headline metrics (project test split; system = model + crisis lexicon + contact patterns)",
        "",
        "Chat domain = authored chat messages only (the public sets' labels are proxies: a tweet insulting",
        "someone is not an insult at a counselor).",
        "",
        "| metric | all test rows | chat domain | target |",
        "|---|---|---|---|",
    ]
    targets = h["targets"]
    chat = h.get("chat_domain", {})
    for k, t in (("crisis_recall_min", f"≥ {targets['crisis_recall']}"), ("crisis_precision_min", f"≥ {targets['crisis_precision']}"),
                 ("client_macro_f1", f"≥ {targets['client_macro_f1']}"), ("counselor_macro_f1", f"≥ {targets['counselor_macro_f1']}"),
                 ("skill_accuracy", f"≥ {targets['skill_accuracy']}"), ("hard_negative_fpr", f"≤ {targets['hard_negative_fpr']}")):
        v = h[k]
        c = chat.get(k, v if k in ("skill_accuracy", "hard_negative_fpr") else None)
        lines.append(f"| {k} | " + " | ".join(f"{x:.3f}" if x is not None else "n/a" for x in (v, c)) + f" | {t} |")
    lines += [
        "",
        "These figures come from a test split of data written by the same team that wrote the training",
        "data: expect lower numbers on independently written conversations.",
        "",
        "## Limitations",
        "- No real counseling conversations were used; authored messages cannot cover every way people",
        "  write, every region or every situation. Subtle, indirect suicidal talk remains the hardest case.",
        "- Public training data are tweets and English transcripts: a domain shift from private chat.",
        "- `abusive` learned partly from tweets insulting third parties (down-weighted proxy).",
        "- Emotion is a single label; mixed feelings are common.",
        "- The crisis lexicon beside the model catches explicit statements only: on client voices it was",
        "  not developed on it finds half of the suicidal messages or fewer (`copilot/lexicon/EVALUATION.md`),",
        "  so the model carries recall; dev recall counted with the lexicon is optimistic for that reason.",
        "",
        "## Ethical considerations",
        "- A missed suicidal client is the worst failure: crisis thresholds favour recall, and a lexicon",
        "  safety net runs with the model and alone when the model cannot load (results then marked degraded).",
        "- False alarms cost counselor attention: hard negatives (idioms, someone else's problem, news) were",
        "  written into the data and the false-positive rate on them is reported.",
        "- Messages are sensitive health data: the runtime logs no message content and redacts personal data.",
        "",
        "## Full evaluation report",
        "",
        md.split("\n", 2)[2] if md.startswith("# ") else md,
    ]
    path = model_dir / "README.md"
    path.write_text("\n".join(lines) + "\n")
    raw = json.loads((model_dir / MANIFEST).read_text())
    raw["metrics"] = {"split": report["split"], "headline": h,
                      "labels": {k: {"system_f1": v["system"]["f1"], "system_recall": v["system"]["recall"],
                                     "system_precision": v["system"]["precision"]} for k, v in report["labels"].items()},
                      "skill_accuracy": report.get("skill", {}).get("authored_accuracy")}
    (model_dir / MANIFEST).write_text(json.dumps(raw, indent=2, ensure_ascii=False))
    load_manifest(model_dir)
    return path
