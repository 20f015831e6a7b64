"""Evidence spans from per-token logit contributions (the model's own additive decomposition)."""

from __future__ import annotations

import numpy as np

from copilot.analysis import Evidence


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def token_spans(
    text: str,
    offsets: list[tuple[int, int] | None],
    contrib: np.ndarray,
    max_spans: int = 2,
    rel: float = 0.5,
) -> list[Evidence]:
    """Whole-word spans around the tokens that push the logit up most.

    Tokens whose contribution is at least `rel` of the largest positive one are kept, widened
    to word boundaries, merged when adjacent, and ranked by their summed contribution.
    """
    vals = [(float(contrib[i]), o) for i, o in enumerate(offsets) if o is not None and i < len(contrib)]
    if not vals:
        return []
    top = max(v for v, _ in vals)
    if top <= 0:
        return []
    picked = sorted(((*_word_bounds(text, s, e), v) for v, (s, e) in vals if v >= rel * top), key=lambda x: x[0])
    merged: list[list] = []
    for s, e, v in picked:
        if merged and s <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], e)
            merged[-1][2] += v
        else:
            merged.append([s, e, v])
    merged.sort(key=lambda m: -m[2])
    return [Evidence(s, e, text[s:e], "model") for s, e, _ in merged[:max_spans] if text[s:e].strip()]
