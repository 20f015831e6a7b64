"""A rough counselor-skill guess from surface cues, used only when the skill head is unavailable.

Results from here are always labelled `rules` (degraded): the review and the summary say so.
"""

from __future__ import annotations

import re

VERSION = "skill-rules/1"
_OPEN = re.compile(
    r"\b(?:apa|apakah\s+yang|bagaimana|gimana|kenapa|mengapa|seperti\s+apa|kayak\s+apa|kayak\s+gimana|"
    r"sejauh\s+mana|siapa|kapan|di\s*mana|ke\s*mana|ceritakan|ceritain|what|how)\b",
    re.IGNORECASE,
)
_CLOSED_START = re.compile(
    r"^\s*(?:apakah|apa\s+kamu|apa\s+anda|sudah|udah|pernah|ada|bisa|boleh|mau|"
    r"masih|benar|bener|jadi\s+\w+\s+ya)\b",
    re.IGNORECASE,
)
_REFLECT = re.compile(
    r"\b(?:kedengarannya|sepertinya|kayaknya|kelihatannya|tampaknya|rasanya|jadi\s+(?:kamu|anda|bapak|ibu|mbak|mas)|"
    r"(?:kamu|anda|bapak|ibu|mbak|mas)\s+(?:merasa|ngerasa)|pasti\s+(?:berat|sulit|menakutkan|melelahkan))\b",
    re.IGNORECASE,
)
_SENT = re.compile(r"[^.!?]*[.!?]?")


def guess_skill(text: str) -> str:
    """open_question | closed_question | reflection | other, from punctuation and cue words."""
    questions = [s for s in _SENT.findall(text) if s.strip().endswith("?")]
    if questions:
        q = questions[-1]
        if _REFLECT.search(text) and not _OPEN.search(q):
            return "reflection"  # a reflection that ends with a question mark is still a reflection
        if _OPEN.search(q) and not _CLOSED_START.search(q):
            return "open_question"
        return "closed_question"
    if re.search(r"\b(?:ceritakan|ceritain)\b", text, re.IGNORECASE):
        return "open_question"
    if _REFLECT.search(text):
        return "reflection"
    return "other"
