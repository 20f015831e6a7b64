"""Tiny, seeded models for unit tests: a toy Unigram vocabulary and a random 2-layer BERT."""

from __future__ import annotations

from pathlib import Path

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]
WORDS = [
    "aku", "kamu", "mau", "cerita", "capek", "banget", "pengen", "mati", "gaya", "sedih", "kak",
    "query", "passage", "suami", "pukul", "takut", "tolong", "ketemu", "nomor", "wa", "gak",
]
CHARS = list("abcdefghijklmnopqrstuvwxyz0123456789.,:?!'-") + ["\u2581"]
# Fullwidth 'ａ' → 'a', tab → space, zero-width space → removed: the three kinds of rule.
NORMALIZATION = {0xFF41: "a", 0x09: " ", 0x200B: ""}


def toy_vocab() -> tuple[list[str], list[float]]:
    pieces = list(SPECIALS)
    scores = [0.0] * 4
    for w in WORDS:
        pieces.append("\u2581" + w)
        scores.append(-2.0 - len(pieces) * 0.01)
    for c in CHARS:
        pieces.append(c)
        scores.append(-8.0)
    return pieces, scores


def build_tiny_hf_model(out_dir: Path, seed: int = 0) -> Path:
    """A random tiny BertModel with the toy tokenizer, saved as a HF directory."""
    import json

    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig, BertModel

    from training.encoder.convert import save_tokenizer_files
    from training.encoder.tokenizer_build import build_tokenizer

    pieces, scores = toy_vocab()
    tok = build_tokenizer(pieces, scores, NORMALIZATION, bos=0, eos=2, pad=1, unk=3, max_length=64)
    torch.manual_seed(seed)
    cfg = BertConfig(
        vocab_size=len(pieces), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=128, max_position_embeddings=64, type_vocab_size=2, pad_token_id=1,
    )
    model = BertModel(cfg, add_pooling_layer=False).eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    cfg.save_pretrained(out_dir)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(out_dir / "model.safetensors"))
    save_tokenizer_files(out_dir, tok, NORMALIZATION, 64)
    (out_dir / "provenance.json").write_text(json.dumps({"source": "tiny-random", "parameters": 0}))
    return out_dir
