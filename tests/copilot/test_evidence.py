"""Model evidence spans from per-token contributions."""

import numpy as np

from copilot.evidence import token_spans


def _tokens(text):
    """One token per character run split at spaces, plus a sub-word split of long words."""
    offs = []
    for w in text.split(" "):
        start = text.index(w, offs[-1][1] if offs else 0)
        if len(w) > 5:
            offs += [(start, start + 3), (start + 3, start + len(w))]
        else:
            offs.append((start, start + len(w)))
    return [None] + offs + [None]  # special tokens have no offsets


def test_span_is_the_strong_phrase_not_the_whole_message():
    text = "aku udah capek bgt sama semuanya pengen mati aja rasanya gak ada gunanya hidup"
    offs = _tokens(text)
    contrib = np.full(len(offs), 0.05)
    strong = [(m, m + len(w)) for w in ("pengen", "mati", "aja") for m in [text.index(w + " ")]]
    for i, o in enumerate(offs):
        if o and any(s <= o[0] < e for s, e in strong):
            contrib[i] = 1.0
    spans = token_spans(text, offs, contrib)
    assert spans[0].text == "pengen mati aja"
    assert spans[0].origin == "model"
    assert text[spans[0].start:spans[0].end] == spans[0].text


def test_sub_word_tokens_add_up_to_their_word():
    text = "dia mukulin aku tiap malam"
    offs = _tokens(text)  # "mukulin" is two tokens
    contrib = np.zeros(len(offs))
    for i, o in enumerate(offs):
        if o and text[o[0]:o[1]] in ("muk", "ulin"):
            contrib[i] = 0.6
        elif o and text[o[0]:o[1]] == "malam":
            contrib[i] = 0.9
    spans = token_spans(text, offs, contrib, grow=0.9)
    assert spans[0].text == "mukulin"  # 1.2 as a word beats "malam" at 0.9
    assert [s.text for s in spans] == ["mukulin", "malam"]


def test_spans_are_capped_and_at_most_two():
    text = " ".join(f"kata{i}" for i in range(20))
    offs = _tokens(text)
    contrib = np.ones(len(offs))
    spans = token_spans(text, offs, contrib, max_words=4)
    assert len(spans) == 2
    assert all(len(s.text.split()) <= 4 for s in spans)


def test_no_positive_contribution_gives_no_span():
    text = "halo kak"
    offs = _tokens(text)
    assert token_spans(text, offs, -np.ones(len(offs))) == []
    assert token_spans("", [None, None], np.zeros(2)) == []


def test_relative_mode_still_points_at_the_heaviest_words():
    """A flag raised below logit 0 still gets a span: the words the model weighed most, marked."""
    text = "mati lampu lagi udah 3 kali minggu ini"
    offs = _tokens(text)
    contrib = np.full(len(offs), -0.5)
    for i, o in enumerate(offs):
        if o and text[o[0]:o[1]] == "mati":
            contrib[i] = -0.01
    spans = token_spans(text, offs, contrib, relative=True)
    assert spans and spans[0].text.startswith("mati")
    assert all(s.rule == "relative" and s.origin == "model" for s in spans)
    short = "aku di sini aja ya kak"  # one token per word: every word weighs the same
    flat = token_spans(short, _tokens(short), np.full(len(_tokens(short)), -0.2), relative=True, max_words=3)
    assert [s.text for s in flat] == ["aku di sini"]
    assert token_spans(short, _tokens(short), np.full(len(_tokens(short)), -0.2)) == []
