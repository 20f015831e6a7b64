"""Indonesian slang and abbreviation dictionaries (slang -> formal), and their inversion.

Sources: Ibrohim's ``new_kamusalay.csv`` (comma-separated, ~15k pairs, many of them hashtag
merges such as ``ahokbtp``) and Saputri's ``kamus_singkatan.csv`` (semicolon-separated).
Augmentation uses the inverse (formal -> slang spellings); the diversity report counts tokens
that are slang keys.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

# Where each dictionary lives under the datasets root, and its field separator.
DICTIONARIES: tuple[tuple[str, str], ...] = (
    ("ibrohim_hate_abusive/new_kamusalay.csv", ","),
    ("saputri_emotion/kamus_singkatan.csv", ";"),
)
_WORD = re.compile(r"^[a-z][a-z0-9]*$")
_ELONGATION = re.compile(r"(.)\1{2,}")
MAX_SLANG_LEN = 12  # longer keys are hashtag merges, not spellings anyone types
# Formal words whose short spelling is another word: "akan" -> "kan", "bagi" -> "bg" (abang).
NO_INVERSION = frozenset({"akan", "bagi", "para", "satu"})


@dataclass(frozen=True)
class SlangLexicon:
    """Slang spellings and, for augmentation, the slang spellings of each formal word."""

    slang_to_formal: dict[str, str]
    formal_to_slang: dict[str, tuple[str, ...]]

    def is_slang(self, token: str) -> bool:
        """Whether ``token`` (lower-cased) is a dictionary slang spelling."""
        return token.lower() in self.slang_to_formal

    @property
    def size(self) -> int:
        """Number of slang spellings."""
        return len(self.slang_to_formal)


def _pairs(path: Path, sep: str) -> list[tuple[str, str]]:
    # Latin-1 never fails; the few mojibake keys it yields are filtered out by _WORD below.
    pairs = []
    for line in path.read_bytes().decode("latin-1").splitlines():
        slang, found, formal = line.partition(sep)
        if found:
            pairs.append((slang.strip().lower(), formal.strip().lower()))
    return pairs


def load_lexicon(root: Path) -> tuple[SlangLexicon, list[str]]:
    """Load every dictionary present under ``root``; also return the missing ones."""
    pairs: list[tuple[str, str]] = []
    missing = []
    for rel, sep in DICTIONARIES:
        path = root / rel
        if path.is_file():
            pairs += _pairs(path, sep)
        else:
            missing.append(rel)
    return build_lexicon(pairs), missing


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i]
        for j, cb in enumerate(b, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def plausible_spelling(slang: str, formal: str) -> bool:
    """Whether ``slang`` is a way of typing ``formal`` (dgn, bener, belom), not another word.

    The dictionaries also hold translations ("with" for "dengan"), regional synonyms and jokes;
    swapping those into a sentence would change its meaning, so augmentation skips them.
    """
    base = _ELONGATION.sub(r"\1", slang)
    if len(base) >= 2 and _is_subsequence(base, formal):
        return True
    return _edit_distance(base, formal) <= max(1, len(formal) // 3)


def _line_break_artefact(slang: str, formal: str, keys: set[str]) -> bool:
    # Kamusalay has keys such as "nsudah", "nbisa": a "\n" glued to the next word.
    return slang.startswith("n") and (slang[1:] == formal or slang[1:] in keys)


def build_lexicon(pairs: list[tuple[str, str]]) -> SlangLexicon:
    """Keep pairs whose key is a typed word; invert only plausible spellings for augmentation."""
    candidates: dict[str, str] = {}
    for slang, formal in pairs:
        if slang != formal and formal and _WORD.match(slang) and len(slang) <= MAX_SLANG_LEN:
            candidates.setdefault(slang, formal)
    keys = set(candidates)
    slang_to_formal = {
        s: f for s, f in candidates.items() if not _line_break_artefact(s, f, keys)
    }
    inverse: dict[str, set[str]] = defaultdict(set)
    for slang, formal in slang_to_formal.items():
        if _WORD.match(formal) and formal not in NO_INVERSION and plausible_spelling(slang, formal):
            inverse[formal].add(slang)
    return SlangLexicon(
        slang_to_formal=dict(sorted(slang_to_formal.items())),
        formal_to_slang={f: tuple(sorted(s)) for f, s in sorted(inverse.items())},
    )
