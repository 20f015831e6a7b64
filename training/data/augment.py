"""Chat-style augmentation: make formal Indonesian text look like what clients type.

Operations, each with its own probability per word (config ``[augment]``): slang or
abbreviated spelling from the inverted dictionaries plus a short curated list of chat forms,
vowel dropping ("sekarang" -> "skrng"), letter repetition ("banget" -> "bangettt"), typos
(adjacent key, dropped letter, swapped letters); per message: lower-casing and dropping the
final full stop. Every row gets its own random generator seeded from (seed, row id, copy), so
the output is deterministic and does not depend on which other rows exist. Only training rows
are augmented; copies keep their parent's group, hence its split.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from training.data.example import Example
from training.data.slang_lexicon import SlangLexicon

# The forms people actually type for the commonest words; the dictionaries hold mostly rare
# misspellings, so without this list "tidak" would become "tidack" more often than "gak".
CHAT_FORMS: dict[str, tuple[str, ...]] = {
    "tidak": ("gak", "ga", "nggak", "gk", "engga", "tdk"),
    "sudah": ("udah", "udh", "dah", "sdh"),
    "belum": ("blm", "belom", "blom"),
    "yang": ("yg",),
    "dengan": ("dgn", "sama"),
    "saya": ("aku", "aq", "sy", "gue", "gw"),
    "kamu": ("km", "kmu"),
    "tapi": ("tp", "tpi"),
    "juga": ("jg", "jga"),
    "karena": ("karna", "krn", "soalnya"),
    "bisa": ("bs", "bsa"),
    "sangat": ("bgt", "banget"),
    "ingin": ("pengen", "pgn", "pingin"),
    "begitu": ("gitu", "gt"),
    "begini": ("gini",),
    "bagaimana": ("gimana", "gmn", "gmna"),
    "kenapa": ("knp", "napa", "kenapa"),
    "sekarang": ("skrg", "skrng", "skrang"),
    "terima": ("makasih",),
    "kalau": ("kalo", "klo", "kl"),
    "memang": ("emang", "emg"),
    "seperti": ("kayak", "kyk", "kek"),
    "saja": ("aja", "aj"),
    "sampai": ("sampe", "smpe"),
    "benar": ("bener", "bnr"),
    "lagi": ("lg", "lagi"),
    "orang": ("org",),
    "banyak": ("byk", "bnyk"),
    "sama": ("sm", "ama"),
    "malam": ("malem", "mlm"),
    "tahu": ("tau", "tw"),
    "bilang": ("blg",),
    "cuma": ("cm", "cuman"),
    "lebih": ("lbh",),
    "semua": ("smua", "smw"),
    "pernah": ("prnh",),
    "mau": ("mo", "mw"),
    "apa": ("ap", "apa"),
    "untuk": ("buat", "utk"),
    "sedang": ("lagi", "lg"),
}
_VOWELS = set("aeiou")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _keyboard_neighbours() -> dict[str, str]:
    """Keys next to each letter on a QWERTY phone keyboard (same row and the rows around)."""
    neighbours = {}
    for r, row in enumerate(_KEYBOARD_ROWS):
        for i, key in enumerate(row):
            near = row[max(0, i - 1):i] + row[i + 1:i + 2]
            for other in _KEYBOARD_ROWS[max(0, r - 1):r] + _KEYBOARD_ROWS[r + 1:r + 2]:
                near += other[max(0, i - 1):i + 1]
            neighbours[key] = near
    return neighbours


_NEIGHBOURS = _keyboard_neighbours()
_TOKEN = re.compile(r"<[A-Z]+>|[^\W\d_]+|\s+|.", re.UNICODE)
_PLACEHOLDER = re.compile(r"(<[A-Z]+>)")


@dataclass(frozen=True)
class AugmentSettings:
    """Probabilities (per word unless noted) and which rows to augment."""

    seed: int = 13
    copies: int = 1
    sources: tuple[str, ...] = ()
    registers: tuple[str | None, ...] = ("formal", None)
    p_slang: float = 0.6
    p_vowel_drop: float = 0.06
    p_repeat: float = 0.04
    p_typo: float = 0.03
    p_lowercase: float = 0.7  # per message
    p_drop_final_stop: float = 0.8  # per message


class ChatStyler:
    """Rewrites one text in chat style with a given random generator."""

    def __init__(self, lexicon: SlangLexicon, settings: AugmentSettings) -> None:
        self._forms = {w: s for w, s in lexicon.formal_to_slang.items()}
        self._forms.update(CHAT_FORMS)
        self._s = settings

    def _word(self, word: str, rng: random.Random, chosen: dict[str, str]) -> str:
        s = self._s
        lower = word.lower()
        if lower in self._forms and rng.random() < s.p_slang:
            # One writer keeps one spelling: "saya" stays "gue" all through a message.
            word = chosen.setdefault(lower, rng.choice(self._forms[lower]))
        elif len(word) >= 5 and rng.random() < s.p_vowel_drop:
            # Keep the first and last letters so the word stays readable: "sekarang" -> "skrng".
            word = word[0] + "".join(c for c in word[1:-1] if c.lower() not in _VOWELS) + word[-1]
        if rng.random() < s.p_repeat:
            word += word[-1] * rng.randint(2, 4)
        if len(word) >= 4 and rng.random() < s.p_typo:
            word = self._typo(word, rng)
        return word

    @staticmethod
    def _typo(word: str, rng: random.Random) -> str:
        i = rng.randrange(1, len(word) - 1)
        kind = rng.choice(("neighbour", "drop", "swap"))
        if kind == "neighbour" and word[i].lower() in _NEIGHBOURS:
            return word[:i] + rng.choice(_NEIGHBOURS[word[i].lower()]) + word[i + 1:]
        if kind == "swap":
            return word[:i] + word[i + 1] + word[i] + word[i + 2:]
        return word[:i] + word[i + 1:]

    def stylise(self, text: str, rng: random.Random) -> str:
        """Chat-style version of ``text``; placeholders such as ``<USER>`` are left intact."""
        out = []
        chosen: dict[str, str] = {}
        for tok in _TOKEN.findall(text):
            is_word = tok[0].isalpha() and not tok.startswith("<")
            out.append(self._word(tok, rng, chosen) if is_word else tok)
        result = "".join(out)
        if rng.random() < self._s.p_lowercase:
            parts = _PLACEHOLDER.split(result)  # odd positions are the placeholders themselves
            result = "".join(p if i % 2 else p.lower() for i, p in enumerate(parts))
        ends_with_stop = result.endswith(".") and not result.endswith("..")
        if ends_with_stop and rng.random() < self._s.p_drop_final_stop:
            result = result[:-1]
        return result


def row_rng(seed: int, row_id: str, copy: int) -> random.Random:
    """A generator that depends only on the seed, the row and the copy number."""
    digest = hashlib.sha256(f"{seed}:{row_id}:{copy}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def eligible(row: Example, settings: AugmentSettings) -> bool:
    """Training rows in Indonesian, from a configured source and register, not copies."""
    return (
        row.split == "train"
        and row.lang == "id"
        and not row.augmented
        and row.source in settings.sources
        and row.register in settings.registers
    )


def augment(
    rows: Iterable[Example], lexicon: SlangLexicon, settings: AugmentSettings
) -> list[Example]:
    """Chat-style copies of the eligible rows (the input rows are not changed or returned)."""
    styler = ChatStyler(lexicon, settings)
    copies: list[Example] = []
    for row in rows:
        if not eligible(row, settings):
            continue
        for k in range(1, settings.copies + 1):
            text = styler.stylise(row.text, row_rng(settings.seed, row.id, k))
            if text == row.text:
                continue  # nothing changed: a copy would only duplicate the row
            copies.append(replace(row, id=f"{row.id}#aug{k}", text=text, augmented=True,
                                  register="informal"))
    return copies
