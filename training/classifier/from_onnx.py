"""Recover a trainable checkpoint from a shipped int8 classifier (to fine-tune it further).

A shipped model keeps no fp32 weights: `models/konselor-id/model.onnx` holds the blockwise int8
graph (see training/encoder/export.py). Its weights dequantise exactly to the values the runtime
computes with, so continuing training from them starts from the shipped model's behaviour:

- `QEmbedLayerNormalization`: position / token-type embeddings and the embedding LayerNorm,
  uint8 with one scale per tensor. Word embeddings are frozen during training, so they are taken
  from the base encoder in fp32 when the quantised copy matches it (else the copy, with a warning).
- `QAttention` (one per layer): the fused Q|K|V weight, int8 with one scale per output column.
- `MatMulNBits` (attention output, feed-forward, heads): 8-bit weights, symmetric, one scale per
  block of `block_size` input weights; zero point 2^(bits-1) when the node has none.
- LayerNorms and biases are fp32 initialisers.

The names are those of `MultiTaskModel.state_dict()` (a `transformers` BertModel under
`encoder.`, one linear head per task under `heads.`).
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


class OnnxCheckpointError(ValueError):
    """The ONNX graph is not one this project exported (unexpected nodes or shapes)."""


def _arrays(graph) -> dict[str, np.ndarray]:
    from onnx import numpy_helper  # noqa: PLC0415

    return {i.name: numpy_helper.to_array(i) for i in graph.initializer}


def _attrs(node) -> dict:
    import onnx  # noqa: PLC0415

    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _dequant_tensor(q: np.ndarray, scale: np.ndarray, zero: np.ndarray) -> np.ndarray:
    return ((q.astype(np.int32) - zero.astype(np.int32)) * scale).astype(np.float32)


def _dequant_nbits(node, arr: dict[str, np.ndarray]) -> np.ndarray:
    """[N, K] weight of a MatMulNBits node (the layout of torch.nn.Linear.weight)."""
    a = _attrs(node)
    n, k, bits, block = int(a["N"]), int(a["K"]), int(a["bits"]), int(a["block_size"])
    if bits != 8:
        raise OnnxCheckpointError(f"{node.name}: {bits}-bit weights, only 8-bit is supported")
    blocks = -(-k // block)
    b = arr[node.input[1]].reshape(n, blocks, block).astype(np.int32)
    scales = arr[node.input[2]].reshape(n, blocks, 1)
    zero = 2 ** (bits - 1)
    if len(node.input) > 3 and node.input[3]:
        zero = arr[node.input[3]].reshape(n, blocks, 1).astype(np.int32)
    w = ((b - zero) * scales).reshape(n, blocks * block)[:, :k]
    return w.astype(np.float32)


def _pieces(tokenizer_json: Path) -> list[str]:
    """The vocabulary of a tokenizer.json, in id order."""
    model = json.loads(Path(tokenizer_json).read_text(encoding="utf-8"))["model"]
    vocab = model["vocab"]
    if isinstance(vocab, dict):  # WordPiece / BPE: piece -> id
        return [p for p, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    return [p for p, _ in vocab]  # Unigram: [piece, score] in id order


def word_table(parent: np.ndarray, step: float, base: np.ndarray, base_pieces: list[str],
               parent_pieces: list[str] | None) -> np.ndarray:
    """The word-embedding table an update stage starts from, in the base encoder's vocabulary.

    Word embeddings are frozen in training, so the parent's (quantised) table equals the base
    encoder's up to one int8 step and the base's fp32 rows are the exact values. The base's
    trimmed vocabulary may have grown since the parent was trained (the trim counts the authored
    data): rows are then matched by piece, and pieces new to the base keep their base rows, which
    is what the parent would have had. A parent trained with unfrozen embeddings keeps its own rows
    wherever it has them.
    """
    if parent_pieces is None or parent_pieces == base_pieces:
        if base.shape != parent.shape:
            raise OnnxCheckpointError(
                f"word embeddings {parent.shape} in the graph, {base.shape} in the base encoder, and no parent "
                "tokenizer to match them by piece")
        if float(np.abs(base - parent).max()) > step:
            log.warning("word embeddings differ from the base encoder's by more than one quantisation step: "
                        "using the graph's int8 table, dequantised")
            return parent
        return base
    if len(parent_pieces) != parent.shape[0] or len(base_pieces) != base.shape[0]:
        raise OnnxCheckpointError(
            f"tokenizer sizes ({len(parent_pieces)} parent, {len(base_pieces)} base) do not match the embedding "
            f"tables ({parent.shape[0]}, {base.shape[0]})")
    index = {p: i for i, p in enumerate(parent_pieces)}
    shared = [(i, index[p]) for i, p in enumerate(base_pieces) if p in index]
    if not shared:
        raise OnnxCheckpointError("the parent's vocabulary and the base encoder's share no piece")
    b_idx = np.array([i for i, _ in shared])
    p_idx = np.array([j for _, j in shared])
    dropped = len(parent_pieces) - len(shared)
    log.info("vocabulary changed since the parent: %d pieces shared, %d new in the base (base rows), "
             "%d only in the parent (dropped)", len(shared), len(base_pieces) - len(shared), dropped)
    if float(np.abs(base[b_idx] - parent[p_idx]).max()) <= step:
        return base
    log.warning("word embeddings differ from the base encoder's by more than one quantisation step: "
                "keeping the graph's rows for the %d shared pieces", len(shared))
    word = base.copy()
    word[b_idx] = parent[p_idx]
    return word


def state_dict_from_onnx(onnx_path: Path, base_dir: Path, num_layers: int, hidden: int,
                         parent_tokenizer: Path | None = None) -> dict[str, np.ndarray]:
    """MultiTaskModel state (numpy, fp32) from a shipped int8 classifier graph.

    `parent_tokenizer` is the shipped model's tokenizer.json: with it, a base encoder whose
    trimmed vocabulary has changed since the parent was trained (new authored text adds pieces)
    is matched piece by piece instead of refused."""
    import onnx  # noqa: PLC0415
    from safetensors.numpy import load_file  # noqa: PLC0415

    graph = onnx.load(str(onnx_path)).graph
    arr = _arrays(graph)
    nodes = {n.name: n for n in graph.node}
    sd: dict[str, np.ndarray] = {}
    e = "encoder.embeddings."
    embed = [n for n in graph.node if n.op_type == "QEmbedLayerNormalization"]
    if len(embed) != 1:
        raise OnnxCheckpointError(f"expected one QEmbedLayerNormalization, found {len(embed)}")
    ins = list(embed[0].input)
    # inputs: ids, segment, word, pos, type, gamma, beta, mask, 5 scales, 5 zero points
    quantised = dict(zip(("word", "pos", "type", "gamma", "beta"), ins[2:7]))
    scales = dict(zip(("word", "pos", "type", "gamma", "beta"), ins[8:13]))
    zeros = dict(zip(("word", "pos", "type", "gamma", "beta"), ins[13:18]))
    deq = {k: _dequant_tensor(arr[quantised[k]], arr[scales[k]], arr[zeros[k]]) for k in quantised}
    base = load_file(str(base_dir / "model.safetensors"))
    word_key = next((k for k in base if k.endswith("embeddings.word_embeddings.weight")), None)
    if word_key is None:
        raise OnnxCheckpointError(f"{base_dir / 'model.safetensors'} holds no word embeddings (not a base encoder?)")
    pieces = (_pieces(base_dir / "tokenizer.json"), _pieces(parent_tokenizer)) if parent_tokenizer else ([], None)
    word = word_table(deq["word"], float(arr[scales["word"]]), base[word_key].astype(np.float32), *pieces)
    sd[e + "word_embeddings.weight"] = word
    sd[e + "position_embeddings.weight"] = deq["pos"]
    sd[e + "token_type_embeddings.weight"] = deq["type"]
    sd[e + "LayerNorm.weight"] = deq["gamma"]
    sd[e + "LayerNorm.bias"] = deq["beta"]

    for i in range(num_layers):
        p = f"encoder.encoder.layer.{i}."
        att = nodes.get(f"Attention_{i}_quant")
        if att is None or att.op_type != "QAttention":
            raise OnnxCheckpointError(f"layer {i}: no QAttention node")
        w = _dequant_tensor(arr[att.input[1]], arr[att.input[4]], arr[att.input[7]])  # [in, 3*hidden]
        bias = arr[att.input[2]]
        if w.shape != (hidden, 3 * hidden):
            raise OnnxCheckpointError(f"layer {i}: QKV weight {w.shape}")
        for j, name in enumerate(("query", "key", "value")):
            sd[p + f"attention.self.{name}.weight"] = np.ascontiguousarray(w[:, j * hidden:(j + 1) * hidden].T)
            sd[p + f"attention.self.{name}.bias"] = bias[j * hidden:(j + 1) * hidden].astype(np.float32)
        for mine, theirs in (("attn_out", "attention.output.dense"), ("inter", "intermediate.dense"),
                             ("out", "output.dense")):
            node = nodes.get(f"/encoder/layers.{i}/{mine}/MatMul_Q8")
            if node is None:
                raise OnnxCheckpointError(f"layer {i}: no MatMulNBits for {mine}")
            sd[p + theirs + ".weight"] = _dequant_nbits(node, arr)
            sd[p + theirs + ".bias"] = arr[f"encoder.layers.{i}.{mine}.bias"].astype(np.float32)
        for mine, theirs in (("attn_norm", "attention.output.LayerNorm"), ("out_norm", "output.LayerNorm")):
            sd[p + theirs + ".weight"] = arr[f"encoder.layers.{i}.{mine}.weight"].astype(np.float32)
            sd[p + theirs + ".bias"] = arr[f"encoder.layers.{i}.{mine}.bias"].astype(np.float32)

    heads = sorted({m.group(1) for m in (re.match(r"^/(\w+)/Gemm_MatMul_Q8$", n) for n in nodes) if m})
    if not heads:
        raise OnnxCheckpointError("no head MatMulNBits nodes")
    for h in heads:
        sd[f"heads.{h}.weight"] = _dequant_nbits(nodes[f"/{h}/Gemm_MatMul_Q8"], arr)
        sd[f"heads.{h}.bias"] = arr[f"heads.{h}.bias"].astype(np.float32)
    return sd


def materialize_parent(model_dir: Path, rev: str, dest: Path) -> Path:
    """Copy the parent model's graph and manifest out of git history (`rev:model_dir`) into
    `dest`, so an update stage can be re-run after models/ has moved on."""
    import subprocess  # noqa: PLC0415

    dest.mkdir(parents=True, exist_ok=True)
    for name in ("manifest.json", "model.onnx", "tokenizer.json"):
        spec = f"{rev}:{model_dir.as_posix()}/{name}"
        res = subprocess.run(["git", "show", spec], capture_output=True, check=False)
        if res.returncode != 0:
            raise OnnxCheckpointError(f"cannot read {spec} from git: {res.stderr.decode(errors='replace').strip()}")
        tmp = dest / (name + ".part")
        tmp.write_bytes(res.stdout)
        tmp.replace(dest / name)
    return dest


def load_parent(model_dir: Path, expect_version: str | None) -> dict:
    """The parent model's manifest, checked against the version the config names."""
    if not (model_dir / "manifest.json").exists():
        raise OnnxCheckpointError(f"no parent model in {model_dir} (manifest.json missing)")
    manifest = json.loads((model_dir / "manifest.json").read_text())
    if expect_version and manifest.get("version") != expect_version:
        raise OnnxCheckpointError(
            f"{model_dir} holds {manifest.get('name')} {manifest.get('version')}, the config continues from "
            f"{expect_version}; set model.init_onnx_rev to the commit that shipped it")
    return manifest
