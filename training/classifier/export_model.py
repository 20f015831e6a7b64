"""Export the trained multi-task model to ONNX with per-token logit contributions as evidence."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from copilot.model_dir import HeadSpec
from copilot.tokenizer import ChatTokenizer
from training.classifier.tasks import HEADS

log = logging.getLogger(__name__)

TOKEN_HEADS = ("risk", "flags")  # heads whose flags need evidence spans


def output_names() -> list[str]:
    names = ["sentence_embedding"]
    for h in HEADS:
        names.append(f"{h.name}_logits")
        if h.name in TOKEN_HEADS:
            names.append(f"{h.name}_token_contrib")
    return names


def build_export_module(model):
    """Wrap the trained model: ExportBert encoder, mean pool, heads, token contributions."""
    import torch  # noqa: PLC0415

    from training.encoder.export_graph import ExportBert  # noqa: PLC0415

    encoder = ExportBert.from_hf(model.encoder)
    heads = model.heads

    class _Export(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = encoder
            self.heads = heads

        def forward(self, input_ids, attention_mask):
            h = self.encoder(input_ids, attention_mask)
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            n = m.sum(1).clamp(min=1.0)
            pooled = (h * m).sum(1) / n
            outs = [torch.nn.functional.normalize(pooled, dim=-1)]
            for head in HEADS:
                lin = self.heads[head.name]
                outs.append(lin(pooled))
                if head.name in TOKEN_HEADS:
                    # logit = Σ_t W·h_t/n + b: the per-token terms are an exact decomposition
                    outs.append(torch.matmul(h, lin.weight.t()) * m / n.unsqueeze(-1))
            return tuple(outs)

    return _Export().eval()


def head_specs(calibration: dict) -> dict[str, HeadSpec]:
    specs = {}
    for h in HEADS:
        cal = calibration.get(h.name, {})
        th = {k: round(float(v["threshold"]), 6) for k, v in cal.get("thresholds", {}).items()}
        specs[h.name] = HeadSpec(
            output=f"{h.name}_logits", type=h.type, labels=list(h.labels), thresholds=th,
            temperature=float(cal.get("temperature", 1.0)), role=h.role,
        )
    return specs


def export_classifier(ckpt_dir: Path, out_dir: Path, cfg: dict) -> dict:
    """ONNX fp32 + int8 with parity checks, tokenizer files and manifest; returns the export report."""
    from safetensors.torch import load_file  # noqa: PLC0415
    from transformers import BertConfig, BertModel  # noqa: PLC0415

    from training.classifier.model import MultiTaskModel  # noqa: PLC0415
    from training.encoder.export import Int8Scheme, export_encoder  # noqa: PLC0415
    from training.encoder.manifest_writer import write_manifest  # noqa: PLC0415

    bcfg = BertConfig.from_pretrained(ckpt_dir)
    model = MultiTaskModel(BertModel(bcfg, add_pooling_layer=False), bcfg.hidden_size)
    model.load_state_dict(load_file(str(ckpt_dir / "model.safetensors")))
    model.eval()
    module = build_export_module(model)
    ecfg = cfg["export"]
    tok = ChatTokenizer.from_dir(ckpt_dir, max_length=int(ecfg["max_length"]))
    report = export_encoder(
        module, tok, out_dir, output_names(), num_heads=bcfg.num_attention_heads,
        hidden=bcfg.hidden_size, vocab_size=bcfg.vocab_size, prefix=cfg["model"]["prefix"],
        fp32_tol=float(ecfg["fp32_tolerance"]), int8_min_cosine=float(ecfg["int8_min_cosine"]),
        keep_fp32=bool(ecfg.get("keep_fp32", False)), int8_scheme=Int8Scheme.from_config(ecfg),
    )
    for name in ("tokenizer.json", "normalization.json"):
        if (ckpt_dir / name).exists():
            (out_dir / name).write_bytes((ckpt_dir / name).read_bytes())
    calibration = json.loads((ckpt_dir / "calibration.json").read_text())
    if cfg["thresholds"].get("scores", "fp32") == "int8":
        from training.classifier.train import calibrate_on_exported  # noqa: PLC0415

        fp32_cal = calibration
        calibration = calibrate_on_exported(out_dir / "model.onnx", tok, cfg)
        (ckpt_dir / "calibration_int8.json").write_text(json.dumps(calibration, indent=2))
        for head in ("risk", "flags"):
            for lab, t in calibration[head]["thresholds"].items():
                log.info("threshold %s: %.3f on fp32 scores, %.3f on int8 scores", lab,
                         fp32_cal[head]["thresholds"][lab]["threshold"], t["threshold"])
    prov = json.loads((ckpt_dir / "provenance.json").read_text()) if (ckpt_dir / "provenance.json").exists() else {}
    write_manifest(
        out_dir, name=cfg["output"]["name"], version=cfg["output"]["version"], kind="classifier",
        max_length=int(ecfg["max_length"]), prefix=cfg["model"]["prefix"], heads=head_specs(calibration),
        base_model=prov, data_cards=list(cfg["output"].get("data_cards", [])),
    )
    rep = report.as_dict()
    (ckpt_dir / "export_report.json").write_text(json.dumps(rep, indent=2))
    return rep
