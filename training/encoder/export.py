"""Export an encoder (optionally with heads) to ONNX, optimise, quantise to int8, and verify.

Export uses eager attention so onnxruntime's transformer optimiser can fuse the attention
subgraph. Every export ends with a parity check of the ONNX outputs against the torch module;
beyond tolerance it raises ExportParityError and the files are not kept.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from copilot.tokenizer import ChatTokenizer

log = logging.getLogger(__name__)

OPSET = 17
PARITY_TEXTS = [
    "halo kak",
    "gw cape bgt sm idup ini 😭 pengen ilang aja",
    "Selamat malam Bu, saya ingin berkonsultasi mengenai masalah rumah tangga saya yang sudah berlangsung lama.",
    "suamiku mukul aku lg semalem.. aku takut pulang",
    "kak minta no wa nya dong 0812 3456 7890",
    "wkwk mati gaya bgt",
    "aq gk bs tdr udh 4 hr, ada suara2 yg nyuruh aq ngelakuin hal aneh, takut bgt kak tolong",
    "ok",
]


class ExportParityError(AssertionError):
    """ONNX outputs differ from the torch module beyond the stated tolerance."""


@dataclass
class OutputParity:
    name: str
    max_abs_diff: float
    min_cosine: float


@dataclass(frozen=True)
class Int8Scheme:
    """How the fp32 graph becomes int8.

    `dynamic`: onnxruntime's dynamic quantisation of every weight (activations quantised per
    tensor at run time). `blockwise`: the embedding and fused attention stay dynamically
    quantised; every other MatMul (the heads' Gemm included) becomes a weight-only MatMulNBits (8-bit, symmetric, one
    scale per `block_size` weights), computed with activations quantised per block
    (`accuracy_level` 4), which keeps decisions close to fp32 at about the same size.
    """

    mode: str = "dynamic"
    block_size: int = 128
    accuracy_level: int = 4

    @classmethod
    def from_config(cls, ecfg: dict) -> Int8Scheme:
        q = ecfg.get("int8", {})
        scheme = cls(mode=str(q.get("mode", "dynamic")), block_size=int(q.get("block_size", 128)),
                     accuracy_level=int(q.get("accuracy_level", 4)))
        if scheme.mode not in ("dynamic", "blockwise"):
            raise ValueError(f"E123 export.int8.mode must be 'dynamic' or 'blockwise', not {scheme.mode!r}")
        return scheme


@dataclass
class ExportReport:
    fp32_path: str
    int8_path: str
    fp32_bytes: int
    int8_bytes: int
    fused_attention: int
    fp32: list[OutputParity] = field(default_factory=list)
    int8: list[OutputParity] = field(default_factory=list)
    int8_scheme: Int8Scheme | None = None

    def as_dict(self) -> dict:
        return asdict(self)


class PooledEncoder:
    """Factory for the torch module that is exported: encoder → mean pool → L2 → optional heads.

    `encoder(input_ids, attention_mask)` returns the last hidden state (an ExportBert).
    """

    @staticmethod
    def build(encoder, heads=None):
        import torch  # noqa: PLC0415

        class _Module(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.encoder = encoder
                self.heads = heads

            def forward(self, input_ids, attention_mask):
                h = self.encoder(input_ids, attention_mask)
                m = attention_mask.unsqueeze(-1).to(h.dtype)
                pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
                emb = torch.nn.functional.normalize(pooled, dim=-1)
                if self.heads is None:
                    return emb, h
                return (emb, h, *self.heads(pooled))

        return _Module().eval()


def export_onnx(module, path: Path, output_names: list[str], vocab_size: int) -> None:
    """TorchScript-based export with named dynamic batch and sequence axes."""
    import torch  # noqa: PLC0415

    ids = torch.randint(5, vocab_size, (2, 12))
    mask = torch.ones_like(ids)
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"}}
    for name in output_names:
        axes[name] = {0: "batch", 1: "sequence"} if name == "last_hidden_state" else {0: "batch"}
    with torch.no_grad():
        torch.onnx.export(
            module,
            (ids, mask),
            str(path),
            input_names=["input_ids", "attention_mask"],
            output_names=output_names,
            dynamic_axes=axes,
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def optimize(src: Path, dst: Path, num_heads: int, hidden: int) -> int:
    """Offline graph optimisation (attention/LayerNorm/GELU fusion); returns fused attention count."""
    from onnxruntime.transformers.optimizer import optimize_model  # noqa: PLC0415

    opt = optimize_model(str(src), model_type="bert", num_heads=num_heads, hidden_size=hidden, opt_level=1)
    opt.save_model_to_file(str(dst))
    stats = opt.get_fused_operator_statistics()
    return int(stats.get("Attention", 0) + stats.get("MultiHeadAttention", 0))


def quantize_int8(src: Path, dst: Path, scheme: Int8Scheme | None = None) -> None:
    """Quantise the optimised fp32 graph to int8 weights (see Int8Scheme)."""
    import onnx  # noqa: PLC0415
    from onnxruntime.quantization import QuantType, quantize_dynamic  # noqa: PLC0415

    scheme = scheme or Int8Scheme()
    extra = {"DefaultTensorType": onnx.TensorProto.FLOAT}
    if scheme.mode == "dynamic":
        quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True, extra_options=extra)
        return
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer  # noqa: PLC0415

    staged = dst.with_name(dst.stem + ".dynamic.onnx")
    try:
        quantize_dynamic(str(src), str(staged), weight_type=QuantType.QInt8, per_channel=True, extra_options=extra,
                         op_types_to_quantize=["EmbedLayerNormalization", "Attention"])
        q = MatMulNBitsQuantizer(onnx.load(str(staged)), bits=8, block_size=scheme.block_size, is_symmetric=True,
                                 accuracy_level=scheme.accuracy_level)
        q.process()
        q.model.save_model_to_file(str(dst), use_external_data_format=False)
    finally:
        staged.unlink(missing_ok=True)


def compare(module, onnx_path: Path, tokenizer: ChatTokenizer, output_names: list[str], prefix: str):
    """Per output: max |diff| and min row cosine between torch and ONNX on the parity texts."""
    import onnxruntime as ort  # noqa: PLC0415
    import torch  # noqa: PLC0415

    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    batch = tokenizer.encode_batch(PARITY_TEXTS, prefix=prefix)
    with torch.no_grad():
        ref = module(torch.from_numpy(batch.input_ids), torch.from_numpy(batch.attention_mask))
    got = sess.run(output_names, {"input_ids": batch.input_ids, "attention_mask": batch.attention_mask})
    result = []
    mask = batch.attention_mask.astype(bool)
    for name, r, g in zip(output_names, ref, got):
        r = r.numpy()
        if g.ndim == 3:  # per-token outputs: compare real tokens only
            r, g = r[mask], g[mask]
        r2, g2 = r.reshape(r.shape[0], -1), g.reshape(g.shape[0], -1)
        cos = (r2 * g2).sum(1) / np.maximum(np.linalg.norm(r2, axis=1) * np.linalg.norm(g2, axis=1), 1e-12)
        result.append(OutputParity(name, float(np.abs(r - g).max()), float(cos.min())))
    return result


def export_encoder(
    module,
    tokenizer: ChatTokenizer,
    out_dir: Path,
    output_names: list[str],
    *,
    num_heads: int,
    hidden: int,
    vocab_size: int,
    prefix: str = "query: ",
    fp32_tol: float = 1e-3,
    int8_min_cosine: float = 0.98,
    keep_fp32: bool = True,
    int8_scheme: Int8Scheme | None = None,
) -> ExportReport:
    """Export, optimise, quantise and verify; raises ExportParityError beyond tolerance."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="export-") as tmp:
        raw = Path(tmp) / "raw.onnx"
        fp32 = Path(tmp) / "model.fp32.onnx"
        int8 = Path(tmp) / "model.onnx"
        log.info("export: torch → ONNX (opset %d)", OPSET)
        export_onnx(module, raw, output_names, vocab_size)
        log.info("export: optimising graph")
        fused = optimize(raw, fp32, num_heads, hidden)
        log.info("export: fused attention nodes: %d", fused)
        p32 = compare(module, fp32, tokenizer, output_names, prefix)
        bad = [p for p in p32 if p.max_abs_diff > fp32_tol]
        if bad:
            raise ExportParityError(f"E121 fp32 ONNX differs from torch beyond {fp32_tol}: {bad}")
        scheme = int8_scheme or Int8Scheme()
        log.info("export: quantising to int8 (%s)", scheme)
        quantize_int8(fp32, int8, scheme)
        p8 = compare(module, int8, tokenizer, output_names, prefix)
        # int8 is held to the embedding cosine here; its effect on decisions is measured per
        # label by the evaluation report (int8 vs fp32 F1).
        bad = [p for p in p8 if p.name == "sentence_embedding" and p.min_cosine < int8_min_cosine]
        if bad:
            raise ExportParityError(f"E122 int8 ONNX cosine below {int8_min_cosine}: {bad}")
        shutil.copy(int8, out_dir / "model.onnx")
        if keep_fp32:
            shutil.copy(fp32, out_dir / "model.fp32.onnx")
        report = ExportReport(
            fp32_path=str(out_dir / "model.fp32.onnx") if keep_fp32 else "",
            int8_path=str(out_dir / "model.onnx"),
            fp32_bytes=fp32.stat().st_size,
            int8_bytes=int8.stat().st_size,
            fused_attention=fused,
            fp32=p32,
            int8=p8,
            int8_scheme=scheme,
        )
    for p in report.fp32 + report.int8:
        log.info("parity %-18s max|diff| %.2e  min cos %.5f", p.name, p.max_abs_diff, p.min_cosine)
    return report
