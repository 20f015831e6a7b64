"""Evidence spans from per-token logit contributions (the model's own additive decomposition)."""

from __future__ import annotations

import re

import numpy as np

from copilot.analysis import Evidence

_WORD = re.compile(r"\S+")


def token_spans(
    text: str,
    offsets: list[tuple[int, int] | None],
    contrib: np.ndarray,
    max_spans: int = 2,
    rel: float = 0.5,
    grow: float = 0.25,
    max_words: int = 6,
    relative: bool = False,
) -> list[Evidence]:
    """Short phrases around the words that push the label's logit up most.

    Token contributions are summed per word (a whitespace-separated run). Each word scoring at
    least `rel` of the best word seeds a phrase, which grows into neighbouring words scoring at
    least `grow` of the best, up to `max_words` words; phrases are ranked by their summed
    contribution. Mean pooling spreads some weight over every word, so without the cap a span
    would often be the whole message, which tells a counselor nothing.

    A flag raised at a low threshold can have no word with a positive contribution (the bias
    carries the logit). With `relative`, the words are then ranked against each other (shifted
    by the least contribution) and the spans are marked with rule "relative": they show what the
    model weighed most, not what pushed it over the line. Without it, no span is returned.
    """
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    if not words:
        return []
    starts = np.array([s for s, _ in words])
    score = np.zeros(len(words))
    for i, o in enumerate(offsets):
        if o is None or i >= len(contrib) or o[1] <= o[0]:
            continue
        w = int(np.searchsorted(starts, o[0], side="right")) - 1
        if 0 <= w < len(words):
            score[w] += float(contrib[i])
    top = float(score.max())
    rule = None
    if top <= 0:
        if not relative:
            return []
        score = score - score.min()
        top, rule = float(score.max()), "relative"
        if top <= 0:  # every word weighed the same: the message's first words
            hi = min(max_words, len(words)) - 1
            return [Evidence(words[0][0], words[hi][1], text[words[0][0] : words[hi][1]], "model", rule)]
    used = np.zeros(len(words), dtype=bool)
    spans: list[tuple[float, int, int]] = []
    for seed in np.argsort(-score, kind="stable"):
        if score[seed] < rel * top or len(spans) >= max_spans:
            break
        if used[seed]:
            continue
        lo = hi = int(seed)
        while hi - lo + 1 < max_words:
            left = score[lo - 1] if lo > 0 and not used[lo - 1] else -np.inf
            right = score[hi + 1] if hi + 1 < len(words) and not used[hi + 1] else -np.inf
            if max(left, right) < grow * top:
                break
            if left >= right:
                lo -= 1
            else:
                hi += 1
        used[lo : hi + 1] = True
        spans.append((float(score[lo : hi + 1].sum()), words[lo][0], words[hi][1]))
    spans.sort(key=lambda x: -x[0])
    return [Evidence(s, e, text[s:e], "model", rule) for _, s, e in spans]
