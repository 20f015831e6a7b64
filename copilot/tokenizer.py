"""Tokenisation for the runtime: the engine's normalisation, fast, with offsets into the raw text.

`tokenizer.json` carries the full per-codepoint normalisation as thousands of replacement
rules, which costs milliseconds per message inside `tokenizers`. Almost no chat message
contains a mapped character, so the runtime applies the same map in Python only when one is
present (keeping an index map back to the original text) and lets `tokenizers` do the rest.
A test checks that both paths give identical ids.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Regex, Tokenizer, normalizers


class TokenizerFileError(RuntimeError):
    """The tokenizer files of a model directory are missing or malformed."""


@dataclass
class Batch:
    """Token ids padded to the longest member, with character offsets into each original text."""

    input_ids: np.ndarray
    attention_mask: np.ndarray
    offsets: list[list[tuple[int, int] | None]]  # None for special and prefix tokens
    tokens: list[list[str]]


class ChatTokenizer:
    """Wraps a `tokenizers` Unigram/WordPiece tokenizer and the engine's normalisation map."""

    def __init__(self, tokenizer: Tokenizer, normalization: dict[int, str] | None, max_length: int):
        self._tok = tokenizer
        self._tok.no_padding()
        self._tok.no_truncation()
        self.max_length = max_length
        self.pad_id = tokenizer.token_to_id("<pad>")
        if self.pad_id is None:
            self.pad_id = tokenizer.token_to_id("[PAD]") or 0
        self._map = normalization or {}
        if self._map:
            # Fast path: the full rule sequence is replaced by this map plus space collapsing.
            self._tok.normalizer = normalizers.Replace(Regex(" {2,}"), " ")
            keys = "".join(re.escape(chr(cp)) for cp in sorted(self._map))
            self._needs_map = re.compile(f"[{keys}]")
            self._table = {cp: out for cp, out in self._map.items()}
        else:
            self._needs_map = None

    @classmethod
    def from_dir(cls, model_dir: str | Path, max_length: int = 512) -> "ChatTokenizer":
        d = Path(model_dir)
        path = d / "tokenizer.json"
        if not path.is_file():
            raise TokenizerFileError(f"E201 {path} is missing")
        try:
            tok = Tokenizer.from_file(str(path))
        except Exception as exc:  # tokenizers raises plain Exception subclasses
            raise TokenizerFileError(f"E202 {path} cannot be loaded: {exc}") from exc
        norm = None
        norm_path = d / "normalization.json"
        if norm_path.is_file():
            norm = {int(k): v for k, v in json.loads(norm_path.read_text()).items()}
        return cls(tok, norm, max_length)

    @property
    def vocab_size(self) -> int:
        return self._tok.get_vocab_size()

    def normalize(self, text: str) -> tuple[str, list[int] | None]:
        """Apply the per-codepoint map; return the text and, if changed, norm→original indices."""
        if self._needs_map is None or not self._needs_map.search(text):
            return text, None
        out: list[str] = []
        index: list[int] = []
        for i, ch in enumerate(text):
            rep = self._table.get(ord(ch), ch)
            out.append(rep)
            index.extend([i] * len(rep))
        index.append(len(text))
        return "".join(out), index

    def encode_batch(self, texts: list[str], prefix: str = "") -> Batch:
        """Encode texts (each with an optional prefix such as 'query: '), truncated to max_length."""
        prepared = []
        for t in texts:
            norm, index = self.normalize(prefix + t)
            prepared.append((norm, index))
        encs = self._tok.encode_batch([p[0] for p in prepared])
        n_prefix = len(prefix)
        rows, offs, toks = [], [], []
        for enc, (_, index) in zip(encs, prepared):
            ids = enc.ids[: self.max_length]
            special = enc.special_tokens_mask[: self.max_length]
            if len(enc.ids) > self.max_length:
                # keep the closing special token after truncation
                ids[-1] = enc.ids[-1]
                special[-1] = enc.special_tokens_mask[-1]
            row_offsets: list[tuple[int, int] | None] = []
            for j, (s, e) in enumerate(enc.offsets[: len(ids)]):
                if special[j] or j == len(ids) - 1 and len(enc.ids) > self.max_length:
                    row_offsets.append(None)
                    continue
                if index is not None:
                    s, e = index[s], index[e] if e < len(index) else index[-1]
                s, e = s - n_prefix, e - n_prefix
                row_offsets.append(None if e <= 0 else (max(s, 0), e))
            rows.append(ids)
            offs.append(row_offsets)
            toks.append(enc.tokens[: len(ids)])
        width = max((len(r) for r in rows), default=0)
        input_ids = np.full((len(rows), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, r in enumerate(rows):
            input_ids[i, : len(r)] = r
            mask[i, : len(r)] = 1
        return Batch(input_ids, mask, offs, toks)

    def ids(self, text: str, prefix: str = "") -> list[int]:
        """Token ids of one text, untruncated (used by parity checks)."""
        norm, _ = self.normalize(prefix + text)
        return self._tok.encode(norm).ids
