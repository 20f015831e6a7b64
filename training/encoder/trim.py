"""Vocabulary trimming: keep every single-character piece plus the pieces real text uses.

The 250k-row embedding holds most of the encoder's parameters, yet Indonesian and English
chat uses a small fraction of the pieces. A trimmed tokenizer segments a word exactly as the
full one whenever every piece of the full segmentation is kept (removing pieces only removes
paths from the Viterbi lattice), so the held-out check counts words whose full-vocabulary
pieces all survive.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from copilot.tokenizer import ChatTokenizer
from training.encoder.tokenizer_build import build_tokenizer

log = logging.getLogger(__name__)

WORD_RE = re.compile(r"\S+")
PREFIXES = ("query: ", "passage: ")


@dataclass
class TrimReport:
    full_vocab: int
    kept: int
    kept_single_char: int
    counted_texts: int
    heldout_texts: int
    heldout_words: int
    heldout_exact_word_share: float
    heldout_text_exact_share: float
    embedding_cosine_min: float
    embedding_cosine_mean: float
    parameters_before: int
    parameters_after: int
    min_count: int


def iter_corpus_texts(paths: list[Path]) -> list[str]:
    """Every text cell of the CSV/TSV/JSONL corpora (encoding noise is fine for counting)."""
    texts: list[str] = []
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.suffix in {".csv", ".tsv", ".txt", ".jsonl"})
        for f in files:
            raw = f.read_bytes().decode("utf-8", errors="replace")
            if f.suffix == ".jsonl":
                for line in raw.splitlines():
                    try:
                        obj = json.loads(line)
                    except json.JSONDecodeError:
                        continue
                    texts.extend(_strings(obj))
                continue
            delim = "\t" if f.suffix == ".tsv" or raw[:2000].count("\t") > raw[:2000].count(",") else ","
            if f.name.startswith("kamus") or f.name.startswith("new_kamus"):
                delim = ";" if ";" in raw[:200] else ","
            csv.field_size_limit(1 << 24)
            for row in csv.reader(raw.splitlines(), delimiter=delim):
                texts.extend(c for c in row if len(c) > 1 and not c.replace(".", "").isdigit())
    return texts


def _strings(obj) -> list[str]:
    if isinstance(obj, str):
        return [obj] if len(obj) > 1 else []
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


def is_heldout(text: str, share: int = 10) -> bool:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % 100 < share


def count_pieces(tok: ChatTokenizer, texts: list[str]) -> Counter:
    """Piece counts over texts, their words in three casings, and the E5 prefixes."""
    counts: Counter = Counter()
    words: set[str] = set()
    for i in range(0, len(texts), 512):
        chunk = texts[i : i + 512]
        for ids in tok.encode_batch(chunk).input_ids:
            counts.update(int(x) for x in ids)
        for t in chunk:
            words.update(WORD_RE.findall(t))
    variants = sorted({v for w in words for v in (w, w.lower(), w.capitalize(), w.upper())})
    for i in range(0, len(variants), 4096):
        for ids in tok.encode_batch(variants[i : i + 4096]).input_ids:
            counts.update(int(x) for x in ids)
    for p in PREFIXES:
        counts.update(tok.ids(p))
    return counts


def trim_vocabulary(
    base_dir: Path, out_dir: Path, corpora: list[Path], min_count: int = 1, sample_cosine: int = 300
) -> TrimReport:
    """Write a trimmed copy of base_dir to out_dir and report coverage on held-out text."""
    import torch  # noqa: PLC0415
    from safetensors.torch import load_file, save_file  # noqa: PLC0415
    from transformers import BertConfig, BertModel  # noqa: PLC0415

    from training.encoder.convert import save_tokenizer_files  # noqa: PLC0415

    full = ChatTokenizer.from_dir(base_dir)
    tj = json.loads((base_dir / "tokenizer.json").read_text())
    vocab = [(p, s) for p, s in tj["model"]["vocab"]]
    unk = tj["model"]["unk_id"]
    norm = {int(k): v for k, v in json.loads((base_dir / "normalization.json").read_text()).items()}
    texts = sorted(set(iter_corpus_texts(corpora)))
    counted = [t for t in texts if not is_heldout(t)]
    heldout = [t for t in texts if is_heldout(t)]
    log.info("trim: %d texts to count, %d held out", len(counted), len(heldout))
    counts = count_pieces(full, counted)
    keep = sorted(
        i for i, (piece, _) in enumerate(vocab)
        if i < 4 or len(piece) == 1 or counts.get(i, 0) >= min_count
    )
    keep_set = set(keep)
    new_id = {old: new for new, old in enumerate(keep)}
    pieces = [vocab[i][0] for i in keep]
    scores = [vocab[i][1] for i in keep]
    specials = {name: new_id[tj_id] for name, tj_id in (("bos", 0), ("pad", 1), ("eos", 2), ("unk", unk))}
    tok = build_tokenizer(pieces, scores, norm, **specials, max_length=512)

    sd = load_file(str(base_dir / "model.safetensors"))
    key = "embeddings.word_embeddings.weight"
    before = sum(v.numel() for v in sd.values())
    sd[key] = sd[key][torch.tensor(keep)].contiguous()
    after = sum(v.numel() for v in sd.values())
    out_dir.mkdir(parents=True, exist_ok=True)
    cfg = BertConfig.from_pretrained(base_dir)
    cfg.vocab_size = len(keep)
    cfg.save_pretrained(out_dir)
    save_file(sd, str(out_dir / "model.safetensors"))
    save_tokenizer_files(out_dir, tok, norm, 512)
    prov = json.loads((base_dir / "provenance.json").read_text())
    prov["trimmed"] = {"kept": len(keep), "of": len(vocab), "min_count": min_count}
    (out_dir / "provenance.json").write_text(json.dumps(prov, indent=2))
    (out_dir / "kept_ids.json").write_text(json.dumps(keep))

    # held-out coverage: a word is exact when all pieces of its full segmentation are kept
    words = [w for t in heldout for w in WORD_RE.findall(t)]
    exact = 0
    for i in range(0, len(words), 4096):
        batch = full.encode_batch(words[i : i + 4096])
        for ids, mask in zip(batch.input_ids, batch.attention_mask):
            exact += all(int(x) in keep_set for x in ids[mask == 1])
    trimmed = ChatTokenizer.from_dir(out_dir)
    text_exact = 0
    for t in heldout:
        a = [vocab[i][0] for i in full.ids(t)]
        b = [pieces[i] for i in trimmed.ids(t)]
        text_exact += a == b
    rng = np.random.default_rng(0)
    sample = [heldout[i] for i in rng.choice(len(heldout), min(sample_cosine, len(heldout)), replace=False)]
    base_model = BertModel.from_pretrained(base_dir, add_pooling_layer=False).eval()
    small_model = BertModel.from_pretrained(out_dir, add_pooling_layer=False).eval()
    cos = _embedding_cosines(base_model, full, small_model, trimmed, sample)
    report = TrimReport(
        full_vocab=len(vocab),
        kept=len(keep),
        kept_single_char=sum(1 for p in pieces if len(p) == 1),
        counted_texts=len(counted),
        heldout_texts=len(heldout),
        heldout_words=len(words),
        heldout_exact_word_share=exact / max(len(words), 1),
        heldout_text_exact_share=text_exact / max(len(heldout), 1),
        embedding_cosine_min=float(cos.min()),
        embedding_cosine_mean=float(cos.mean()),
        parameters_before=int(before),
        parameters_after=int(after),
        min_count=min_count,
    )
    (out_dir / "trim_report.json").write_text(json.dumps(asdict(report), indent=2))
    log.info("trim: kept %d of %d pieces; held-out exact words %.4f; cosine min %.5f",
             report.kept, report.full_vocab, report.heldout_exact_word_share, report.embedding_cosine_min)
    return report


def _embedding_cosines(m_a, tok_a, m_b, tok_b, texts: list[str]) -> np.ndarray:
    import torch  # noqa: PLC0415

    out = []
    with torch.no_grad():
        for i in range(0, len(texts), 16):
            chunk = texts[i : i + 16]
            vecs = []
            for m, tok in ((m_a, tok_a), (m_b, tok_b)):
                b = tok.encode_batch(chunk, prefix="query: ")
                ids, mask = torch.from_numpy(b.input_ids), torch.from_numpy(b.attention_mask)
                h = m(input_ids=ids, attention_mask=mask).last_hidden_state
                v = (h * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
                vecs.append(torch.nn.functional.normalize(v, dim=-1))
            out.append((vecs[0] * vecs[1]).sum(-1).numpy())
    return np.concatenate(out) if out else np.ones(1)
