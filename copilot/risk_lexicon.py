"""Crisis-phrase safety net for client messages: `suicidal`, `harm_others`, `kdrt`, `acute_disorder`.

The lexicon runs beside the model and alone when the model cannot load, so it favours
explicit statements with high recall and leaves the subtle ones to the model. Phrases live
in `copilot/lexicon/crisis_id.json` (data, not code) and are written in a small phrase
language instead of raw regexes, so that one normaliser handles spelling for every phrase:

* the text is folded (lowercase, accents and fancy fonts stripped), emoji and punctuation
  become separators, ``.!?;`` and newlines become clause boundaries, commas soft ones;
* letters repeated for emphasis collapse (``matiiii`` -> ``mati``; the phrases are
  collapsed the same way, so ``maaf`` simply becomes ``maf`` on both sides);
* leetspeak digits inside words become letters (``m4t1`` -> ``mati``), Indonesian
  reduplication is spelled out (``temen2`` -> ``temen temen``) and chat abbreviations are
  expanded (``pgn`` -> ``pengen``) from the data file;
* every normalised character remembers its span in the original text, so a hit always
  reports offsets into the ORIGINAL message for the UI to highlight.

A phrase hit can be suppressed by its context (negation, someone else as the subject, the
news or a film, an idiom such as "mati gaya", a past event said to be resolved, an obvious
joke). Suppressed hits are still returned by `find` with `suppressed_by` set, so a reviewer
can see why nothing was raised; `flags` returns only the active ones.

Pure standard library; patterns are compiled once in `RiskLexicon.load`.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from copilot.labels import CRISIS

LEXICON_DIR = Path(__file__).with_name("lexicon")
DEFAULT_PATH = LEXICON_DIR / "crisis_id.json"


class LexiconError(ValueError):
    """A lexicon data file is malformed; the message names the file, the entry and the fix."""


# --------------------------------------------------------------------------------------
# Normalisation with an index map back to the original text
# --------------------------------------------------------------------------------------

HARD_BOUNDARY = "."  # end of a clause: phrases and context never reach across it
SOFT_BOUNDARY = ","  # comma: phrases do not span it, context (who is the subject) does
_BOUNDARIES = (HARD_BOUNDARY, SOFT_BOUNDARY)
_HARD_CHARS = frozenset(".!?;\n\r…")
_SOFT_CHARS = frozenset(",:")
_JOIN_CHARS = frozenset("'’`´‘")  # "panai'", "de'e": apostrophes join, never split a word
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_LEET_SYMBOLS = frozenset("@$")  # converted only between two letters ("m@ti", not "@budi")
_REDUP = re.compile(r"^([a-z]{2,})2([a-z]*)$")  # "temen2", "mati2an", "obat2an"
# words whose trailing dot abbreviates ("Dr.", "Jl.", "No.") instead of ending a clause
_DOT_ABBREVIATIONS = frozenset(
    "dr drs dra prof ir hj h kh st jl jln gg no kav km rt rw kel kec kab prov bpk sdr sdri "
    "psi spd skom mm mpsi mkes spkj mt tbk pt cv blk lt ny tn dll dsb mr mrs ms jr sr".split())


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """Map one original character to its folded form: letters/digits, ' ', '.', ',' or ''."""
    if ch in _HARD_CHARS:
        return HARD_BOUNDARY
    if ch in _SOFT_CHARS:
        return SOFT_BOUNDARY
    if ch in _JOIN_CHARS:
        return ""
    if ch in _LEET_SYMBOLS:
        return ch
    decomposed = unicodedata.normalize("NFKD", ch.lower())
    out = "".join(c for c in decomposed if not unicodedata.combining(c))
    return out if out and out.isalnum() else " "


@dataclass(frozen=True)
class Token:
    """A word or boundary of the normalised text, with its position there and in the original."""

    text: str
    start: int  # offsets into the normalised string
    end: int
    ostart: int  # offsets into the original text
    oend: int

    @property
    def is_boundary(self) -> bool:
        return self.text in _BOUNDARIES


@dataclass(frozen=True)
class NormalizedText:
    """The normalised form of a text plus the map back to the original offsets."""

    original: str
    text: str
    tokens: tuple[Token, ...]
    _starts: tuple[int, ...] = field(repr=False)
    _ends: tuple[int, ...] = field(repr=False)

    @cached_property
    def padded(self) -> str:
        """The normalised text between two spaces; phrase regexes match against this."""
        return f" {self.text} "

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the normalised span [start, end) (end > start)."""
        return self._starts[start], self._ends[end - 1]

    def token_index_at(self, pos: int) -> int:
        """Index of the token that contains normalised offset ``pos`` (or the next one)."""
        for i, tok in enumerate(self.tokens):
            if tok.end > pos:
                return i
        return len(self.tokens)


Unit = tuple[str, int, int]  # one normalised character and the original span it stands for


class Normalizer:
    """Folds chat text for matching and keeps an index map to the original text."""

    def __init__(self, abbreviations: Mapping[str, str] | None = None):
        self._abbrev = {self.fold_word(k): v for k, v in (abbreviations or {}).items()}

    @staticmethod
    def fold_word(word: str) -> str:
        """Normalise a lexicon word the way the text is normalised (minus leet and abbreviations)."""
        folded = "".join(_fold_char(c) for c in word.lower())
        return _collapse_str(folded)

    def normalize(self, text: str) -> NormalizedText:
        """Return the normalised text, its tokens and the offset map."""
        words: list[tuple[str, list[Unit]]] = []  # ("w", units) or (boundary, [unit])
        current: list[Unit] = []
        for i, ch in enumerate(text):
            if ch == "." and current and _abbreviating_dot(current, text, i):
                ch = " "
            for c in _fold_char(ch):
                if c.isalnum() or c in _LEET_SYMBOLS:
                    current.append((c, i, i + 1))
                    continue
                if current:
                    words.append(("w", current))
                    current = []
                if c not in _BOUNDARIES or not words:
                    continue  # plain separator, or punctuation before any word
                if words[-1][0] in _BOUNDARIES:  # "?!", "..", ", ." -> one boundary
                    if c == HARD_BOUNDARY:
                        words[-1] = (c, [(c, i, i + 1)])
                    continue
                words.append((c, [(c, i, i + 1)]))
        if current:
            words.append(("w", current))

        out_chars: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        tokens: list[Token] = []
        for kind, units in words:
            for piece in (self._word(units) if kind == "w" else [units]):
                if out_chars:  # one space between tokens; it points at the gap before the token
                    out_chars.append(" ")
                    starts.append(ends[-1])
                    ends.append(piece[0][1])
                nstart = len(out_chars)
                for c, os_, oe in piece:
                    out_chars.append(c)
                    starts.append(os_)
                    ends.append(oe)
                tokens.append(Token("".join(c for c, _, _ in piece), nstart, len(out_chars),
                                    piece[0][1], piece[-1][2]))
        return NormalizedText(text, "".join(out_chars), tuple(tokens), tuple(starts), tuple(ends))

    def _word(self, units: list[Unit]) -> list[list[Unit]]:
        """Normalise one word: leetspeak, reduplication, repeated letters, abbreviations."""
        units = _deleet(units)
        if not units:
            return []
        pieces = _split_reduplication(units)
        out: list[list[Unit]] = []
        for piece in pieces:
            piece = _collapse_units(piece)
            expansion = self._abbrev.get("".join(c for c, _, _ in piece))
            if expansion is None:
                out.append(piece)
                continue
            os_, oe = piece[0][1], piece[-1][2]
            # every character of an expansion points at the whole abbreviation it replaces
            out.extend([(c, os_, oe) for c in part] for part in expansion.split())
        return out


def _abbreviating_dot(word: list[Unit], text: str, i: int) -> bool:
    """True for the dot of "Dr." or "V.L.", and for "0812.7654": a separator, not a clause end."""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    w = "".join(c for c, _, _ in word)
    if w.isdigit():
        return nxt.isdigit()
    if not nxt:
        return False
    return (len(w) == 1 and w.isalpha()) or w in _DOT_ABBREVIATIONS


def _deleet(units: list[Unit]) -> list[Unit]:
    letters = sum(c.isalpha() for c, _, _ in units)
    out: list[Unit] = []
    for i, (c, os_, oe) in enumerate(units):
        if c in _LEET:
            prev = units[i - 1][0] if i > 0 else ""
            nxt = units[i + 1][0] if i + 1 < len(units) else ""
            # "m4t1" has letters around its digits; "3x", "40jt", "08l2" keep theirs
            ok = (prev.isalpha() and nxt.isalpha()) if c in _LEET_SYMBOLS else (
                letters >= 2 and (prev.isalpha() or nxt.isalpha())
                and not prev.isdigit() and not nxt.isdigit())
            if ok:
                out.append((_LEET[c], os_, oe))
            elif c not in _LEET_SYMBOLS:
                out.append((c, os_, oe))
            continue
        out.append((c, os_, oe))
    return out


def _split_reduplication(units: list[Unit]) -> list[list[Unit]]:
    word = "".join(c for c, _, _ in units)
    m = _REDUP.match(word)
    if not m:
        return [units]
    base = len(m.group(1))
    two = units[base]
    # the repeated copy is highlighted as the "2" that stands for it
    copy = [(c, two[1], two[2]) for c, _, _ in units[:base]] + units[base + 1:]
    return [units[:base], copy]


def _collapse_units(units: list[Unit]) -> list[Unit]:
    out: list[Unit] = []
    for c, os_, oe in units:
        if out and out[-1][0] == c and c.isalpha():
            out[-1] = (c, out[-1][1], oe)
        else:
            out.append((c, os_, oe))
    return out


def _collapse_str(word: str) -> str:
    return re.sub(r"([a-z])\1+", r"\1", word)


# --------------------------------------------------------------------------------------
# The phrase language (see the "syntax" note in crisis_id.json)
# --------------------------------------------------------------------------------------

_WORD = r"[^ .,]+"  # one normalised word (tokens never contain spaces or boundaries)
_NUMBER_WORDS = (
    "se", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
    "sepuluh", "belas", "puluh", "beberapa", "berapa", "pirang", "pirang pirang", "loro",
    "telu", "papat", "limo", "enem", "pitu", "wolu", "songo", "siji", "rong", "duo", "tigo", "setengah",
)
# meN- / informal nasalisation of a verb stem: pukul -> mukul, tampar -> nampar, siksa -> nyiksa
_NASAL = {"p": "m", "t": "n", "s": "ny", "c": "ny", "k": "ng"}
_ACTIVE_SUFFIXES = ("", "in", "i", "kan", "ke", "ake", "no", "ne", "e", "nya", "ku", "mu", "inya")
_PASSIVE_SUFFIXES = ("", "in", "i", "kan", "ke", "ake", "no", "ne", "e", "nya", "na")
_POSSESSIVE = ("", "ku", "mu")


def _active_forms(stem: str) -> set[str]:
    """Active and bare forms of a verb stem as chat writes them (formal, Jakarta, Javanese)."""
    forms = {stem, "nge" + stem, "ku" + stem, "tak" + stem, "ng" + stem}
    head, tail = stem[0], stem[1:]
    if head in _NASAL:
        forms |= {_NASAL[head] + tail, "me" + _NASAL[head] + tail}
    if head == "c":
        forms.add("men" + stem)  # mencekik
    if head in "bg":
        forms |= {"m" + stem if head == "b" else "ng" + stem, "mem" + stem, "meng" + stem}
    if head in "jd":
        forms |= {"n" + stem, "men" + stem}
    if head in "aiueoh":
        forms.add("meng" + stem)
    if head in "lmnrwy":
        forms.add("me" + stem)
    return {_collapse_str(f) for f in forms}


def _passive_forms(stem: str) -> set[str]:
    return {_collapse_str(p + stem) for p in ("di", "dipun", "ka")}


class PhraseCompiler:
    """Compiles phrase-language strings into regexes over normalised text."""

    def __init__(self, normalizer: Normalizer, classes: Mapping[str, Sequence[str]]):
        self._norm = normalizer
        self._raw_classes = dict(classes)
        self._class_cache: dict[str, list[_Alt]] = {}
        self._token_cache: dict[str, str] = {}  # big classes are used by many phrases

    @property
    def class_names(self) -> frozenset[str]:
        return frozenset(self._raw_classes)

    def add_class(self, name: str, entries: Sequence[str]) -> None:
        """Define (or redefine) a word class usable as ``@name``."""
        if name in self._raw_classes and list(self._raw_classes[name]) != list(entries):
            raise LexiconError(f"class @{name} is defined twice")
        self._raw_classes[name] = list(entries)
        self._class_cache.pop(name, None)
        self._token_cache.clear()

    def compile(self, phrase: str, gap: int = 0, where: str = "") -> re.Pattern[str]:
        """Compile one phrase; ``gap`` is the default number of filler words between tokens."""
        try:
            return re.compile(self.regex(phrase, gap))
        except (LexiconError, re.error) as exc:
            raise LexiconError(f"{where}: cannot compile phrase {phrase!r}: {exc}") from exc

    def compile_many(self, phrases: Iterable[str], gap: int = 0, where: str = "",
                     filler_excludes: str | None = None) -> re.Pattern[str]:
        """One regex matching any of ``phrases``; filler words never match ``filler_excludes``."""
        parts = []
        for p in phrases:
            try:
                parts.append(self.regex(p, gap, filler_excludes))
            except LexiconError as exc:
                raise LexiconError(f"{where}: phrase {p!r}: {exc}") from exc
        if not parts:
            raise LexiconError(f"{where}: no phrases")
        try:
            return re.compile("|".join(f"(?:{p})" for p in parts))
        except re.error as exc:
            raise LexiconError(f"{where}: cannot compile phrases: {exc}") from exc

    def regex(self, phrase: str, gap: int = 0, filler_excludes: str | None = None) -> str:
        """Whole-token regex for ``phrase`` over normalised text."""
        # matched against NormalizedText.padded: a literal leading space lets `re` skip
        # straight to word starts, which a look-behind would not (about 2x faster)
        return rf" {self._body(phrase, gap, filler_excludes)}(?= )"

    def _body(self, phrase: str, gap: int, filler_excludes: str | None = None) -> str:
        items: list[tuple[str, bool, int | None]] = []  # (regex, optional, gap before; None: "$")
        pending_gap = gap
        for raw in phrase.split():
            if raw[:3] in ("...", "..,") and raw[3:].isdigit():
                # "...N": up to N filler words; "..,N": the same, commas allowed
                pending_gap = int(raw[3:]) * (1 if raw[2] == "." else -1)
                continue
            if raw == "$":  # end of clause: a boundary or the end of the message follows
                items.append((r"(?= (?:[.,]|$))", False, None))
                continue
            optional = raw.endswith("?") and len(raw) > 1
            body = raw[:-1] if optional else raw
            items.append((self._token(body), optional, pending_gap))
            pending_gap = gap
        if not items or items[0][2] is None:
            raise LexiconError(f"phrase {phrase!r} has no words")
        out = ""
        skip_sep = False
        for i, (tok, optional, g) in enumerate(items):
            if g is None:  # a "$" anchor takes no separator
                out += tok
                continue
            if i == 0:
                if optional:
                    nxt = items[1][2] if len(items) > 1 else 0
                    out = f"(?:{tok}{_sep(nxt or 0, filler_excludes)})?"
                    skip_sep = True
                else:
                    out = tok
                continue
            sep = "" if skip_sep else _sep(g, filler_excludes)
            skip_sep = False
            out += f"(?:{sep}{tok})?" if optional else sep + tok
        return out

    def token_regex(self, token: str) -> str:
        """Regex (whole-token) for one token of the phrase language."""
        return self._token(token)

    def _token(self, body: str) -> str:
        cached = self._token_cache.get(body)
        if cached is None:
            alts = [alt for a in body.split("|") if a for alt in self._atoms(a)]
            if not alts:
                raise LexiconError(f"empty token {body!r}")
            cached = self._token_cache[body] = _alternation(alts)
        return cached

    def _atoms(self, atom: str) -> list[_Alt]:
        """The alternatives one atom stands for: literal words with a tail regex, or raw regexes."""
        if "_" in atom and not atom.startswith("@"):  # "ga_ada|gak_ada": a multi-word alternative
            return [(None, " ".join(_alternation(self._atoms(w)) for w in atom.split("_")))]
        if atom.startswith("@"):
            return self._class(atom[1:])
        if atom == "#":  # a count: digits or a number word ("2 minggu", "seminggu" is "se minggu")
            return [(None, r"\d+[a-z]*")] + [(self._norm.fold_word(w), "") for w in _NUMBER_WORDS]
        if atom.startswith("di~"):
            return _suffixed(_passive_forms(self._word(atom[3:])), _PASSIVE_SUFFIXES)
        if atom.startswith("~"):
            return _suffixed(_active_forms(self._word(atom[1:])), _ACTIVE_SUFFIXES)
        if atom.endswith("*"):
            return [(self._word(atom[:-1]), "[^ .,]*")]
        if atom.endswith("+"):
            return _suffixed([self._word(atom[:-1])], _POSSESSIVE)
        return [(self._word(atom), "")]

    def _word(self, word: str) -> str:
        folded = self._norm.fold_word(word)
        if not folded or not folded.replace(" ", "").isalnum():
            hint = "; '$' must be a token of its own" if "$" in word else ""
            raise LexiconError(f"bad word {word!r} (letters and digits only){hint}")
        return folded

    def _class(self, name: str) -> list[_Alt]:
        if name in self._class_cache:
            return self._class_cache[name]
        if name not in self._raw_classes:
            near = difflib.get_close_matches(name, self._raw_classes, n=3)
            raise LexiconError(f"unknown class @{name}" + (f"; did you mean {near}?" if near else ""))
        self._class_cache[name] = [(None, "(?!)")]  # guards against a class that includes itself
        alts: list[_Alt] = []
        for entry in self._raw_classes[name]:
            if " " in entry.strip() or entry.endswith("?"):
                alts.append((None, self._body(entry, 0)))  # "orang lain", "badan @SELF?"
            else:
                alts.extend(alt for a in entry.split("|") if a for alt in self._atoms(a))
        self._class_cache[name] = alts
        return alts


_Alt = tuple[str | None, str]  # (literal word, regex tail) or (None, raw regex)


def _suffixed(forms: Iterable[str], suffixes: Sequence[str]) -> list[_Alt]:
    """Every form with every optional suffix, collapsed like the text ("anak" + "ku" -> "anaku").

    Literal words (rather than a suffix group per form) let one trie hold them all, which
    keeps matching fast; the cost is a bigger pattern to compile once at load.
    """
    return [(_collapse_str(f + suf), "") for f in forms for suf in suffixes]


def _alternation(alts: Sequence[_Alt]) -> str:
    """One regex for many alternatives; literal words share a trie so matching stays fast."""
    literals = [(w, t) for w, t in alts if w is not None]
    raws = list(dict.fromkeys(r for w, r in alts if w is None))
    parts = ([_trie(literals)] if literals else []) + raws
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


_END = ""  # trie key marking "a word may end here"; its value is the set of tail regexes


def _trie(words: Iterable[tuple[str, str]]) -> str:
    """A trie regex of (word, tail) pairs; every tail can match the empty string."""
    root: dict = {}
    for word, tail in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node.setdefault(_END, set()).add(tail)

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch != _END]
        tails = sorted(t for t in node.get(_END, ()) if t)
        ends_here = _END in node
        tail = "" if not tails else tails[0] if len(tails) == 1 else "(?:" + "|".join(tails) + ")"
        if not branches:
            return tail
        if not ends_here:
            return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if not tail:
            return "(?:" + "|".join(branches) + ")?"
        return "(?:" + "|".join(branches + [tail]) + ")"  # the tail may match nothing

    return emit(root)


def _sep(gap: int, excludes: str | None = None) -> str:
    # a filler word may not be an excluded one: "dia ga pernah mukul gue" is no "dia ... mukul gue"
    word = _WORD if excludes is None else f"(?!(?:{excludes}) ){_WORD}"
    if gap < 0:  # "..,N": up to N words or commas, never a clause end
        return f" (?:(?:{word}|,) ){{0,{-gap}}}"
    return " " if gap == 0 else f" (?:{word} ){{0,{gap}}}"


# --------------------------------------------------------------------------------------
# Rules, hits and the context that suppresses them
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LexiconHit:
    """One phrase found in a message; ``suppressed_by`` says why it raises no flag (None: it does).

    ``suppressed_by`` is one of "negation", "third_person" (someone else is the subject),
    "media" (the news, a film, a game), "topic" (what a school task, a talk or a book is about),
    "idiom:<id>", "past_resolved", "joke", or "context"
    (the rule's own ``unless`` phrase, e.g. a panic attack explaining "rasanya mau mati").
    """

    label: str
    start: int  # offsets into the original message
    end: int
    text: str
    rule: str
    suppressed_by: str | None = None
    weak: bool = False  # from a weak rule: with a model loaded it needs the model's agreement


@dataclass(frozen=True)
class Rule:
    """A named set of phrases for one label, and which context checks apply to it."""

    id: str
    label: str
    pattern: re.Pattern[str]
    negatable: bool = True  # False when the phrase carries its own negation ("ga mau hidup")
    person: bool = True  # False when the subject check must not apply
    joke: bool = False  # hyperbole-prone ("pengen mati"): laughter suppresses it
    object_self: bool = False  # the client in or right after the hit makes it theirs ("ngikutin aku")
    requires: re.Pattern[str] | None = None  # another phrase that must occur in the message
    unless: re.Pattern[str] | None = None  # a phrase anywhere in the message that explains the hit away
    subject_window: int | None = None  # another person counts as subject only this close to the hit
    others_inside: bool = True  # False when people inside the hit are objects ("nyusul mbah")
    weak: bool = False  # a bare mention ("bunuh diri"), as often the news as the client: see `model_floor`


@dataclass(frozen=True)
class _Context:
    """Compiled context cues; see the "context" section of crisis_id.json."""

    self_words: re.Pattern[str]  # one token: the client speaking ("aku", "gue", "sa", "ambo")
    others: Mapping[str, re.Pattern[str]]  # label -> phrases naming someone else (+ possessive)
    media: re.Pattern[str]  # phrases naming the news, a film, a game (+ possessive)
    negators: re.Pattern[str]
    negation_bridge: re.Pattern[str]
    self_override: re.Pattern[str] | None
    past: re.Pattern[str] | None
    resolved: re.Pattern[str] | None
    relapse: re.Pattern[str] | None
    joke: re.Pattern[str] | None
    earnest: re.Pattern[str] | None
    joke_chars: frozenset[str]
    inside_hit_labels: frozenset[str] = frozenset()
    media_inside_labels: frozenset[str] = frozenset()
    question_tags: re.Pattern[str] = re.compile("(?!)")
    joke_requires: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    joiners: re.Pattern[str] = re.compile("(?!)")
    max_bridge: int = 3
    topic: re.Pattern[str] | None = None  # "makalah tentang", "poster pencegahan": the hit is a subject of study
    topic_reach: int = 4  # at most this many words between the topic phrase and the hit


@dataclass(frozen=True)
class _Idiom:
    id: str
    labels: frozenset[str]
    pattern: re.Pattern[str]


class RiskLexicon:
    """Finds crisis phrases in a client message and explains each hit (rule, span, suppression)."""

    def __init__(self, name: str, version: str, normalizer: Normalizer, rules: Sequence[Rule],
                 idioms: Sequence[_Idiom], context: _Context, model_floor: float = 0.0,
                 strong_floor: float = 0.0):
        self.name = name
        self.version = version
        # A hit of a weak rule raises its flag beside a loaded model only when the model's
        # calibrated probability for the label is at least this (without a model it always does).
        self.model_floor = model_floor
        # The same for hits of the other (strong) rules: far lower, so that only a model that is
        # all but certain the phrase is not the client's own crisis overrules them.
        self.strong_floor = strong_floor
        self.labels = tuple(dict.fromkeys(r.label for r in rules))
        self._norm = normalizer
        self._rules = tuple(rules)
        self._idioms = tuple(idioms)
        self._ctx = context

    # ---- loading -------------------------------------------------------------------------

    @classmethod
    def default(cls) -> RiskLexicon:
        """The shipped lexicon, compiled once per process (compiling takes seconds; matching is read-only)."""
        return _shipped_lexicon()

    @classmethod
    def load(cls, path: str | Path | None = None) -> RiskLexicon:
        """Load and compile a lexicon file (default: the one shipped in copilot/lexicon/)."""
        path = Path(path) if path is not None else DEFAULT_PATH
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise LexiconError(f"E-LEX-001 lexicon file not found: {path}") from exc
        except json.JSONDecodeError as exc:
            raise LexiconError(f"E-LEX-002 {path} is not valid JSON: {exc}") from exc
        return cls.from_dict(data, source=str(path))

    @classmethod
    def from_dict(cls, data: Mapping, source: str = "<dict>") -> RiskLexicon:
        """Compile a lexicon from its JSON structure (fails fast, naming the bad entry)."""
        for key in ("name", "version", "classes", "rules", "context"):
            if key not in data:
                raise LexiconError(f"E-LEX-003 {source}: missing top-level key {key!r}")
        norm = Normalizer(data.get("abbreviations", {}))
        pc = PhraseCompiler(norm, data["classes"])
        context = _context(pc, data["context"], source)  # first: it defines @SELF
        negators = pc.token_regex("|".join(data["context"]["negators"]))
        rules = [_rule(pc, r, source, negators) for r in data["rules"]]
        ids = [r.id for r in rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise LexiconError(f"E-LEX-004 {source}: duplicate rule ids {dupes}")
        idioms = [_idiom(pc, i, source) for i in data.get("idioms", [])]
        floors = {}
        for key in ("model_floor", "strong_floor"):
            floor = data.get(key, 0.0)
            if isinstance(floor, bool) or not isinstance(floor, (int, float)) or not 0.0 <= floor < 1.0:
                raise LexiconError(f"E-LEX-012 {source}: {key} must be a number in [0, 1), not {floor!r}")
            floors[key] = float(floor)
        if floors["strong_floor"] > floors["model_floor"]:
            raise LexiconError(f"E-LEX-013 {source}: strong_floor ({floors['strong_floor']}) must not exceed "
                               f"model_floor ({floors['model_floor']}): a strong hit never needs more agreement")
        return cls(data["name"], str(data["version"]), norm, rules, idioms, context, **floors)

    # ---- matching ------------------------------------------------------------------------

    def find(self, text: str) -> list[LexiconHit]:
        """Every hit in ``text``, suppressed ones included, ordered by position."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        nt = self._norm.normalize(text)
        if not nt.tokens:
            return []
        candidates: list[tuple[LexiconHit, int, int]] = []  # hit, normalised start/end
        padded = nt.padded
        idiom_spans = None
        for rule in self._rules:
            if rule.requires is not None and not rule.requires.search(padded):
                continue
            for start, end in iter_spans(rule.pattern, padded):
                if idiom_spans is None:
                    idiom_spans = [(i, s, e) for i in self._idioms for s, e in iter_spans(i.pattern, padded)]
                why = self._suppression(nt, rule, start, end, idiom_spans)
                os_, oe = nt.original_span(start, end)
                hit = LexiconHit(rule.label, os_, oe, text[os_:oe], rule.id, why, rule.weak)
                candidates.append((hit, start, end))
        return _resolve_overlaps(candidates)

    def flags(self, text: str) -> dict[str, list[LexiconHit]]:
        """Active (unsuppressed) hits grouped by label; labels without hits are absent."""
        out: dict[str, list[LexiconHit]] = {}
        for hit in self.find(text):
            if hit.suppressed_by is None:
                out.setdefault(hit.label, []).append(hit)
        return out

    def model_floor_for(self, hits: Sequence[LexiconHit], seen_end: int | None = None) -> float:
        """The model probability from which a label's active ``hits`` raise its flag beside a
        loaded model: 0 when a hit lies past ``seen_end`` (the end of what the model read),
        ``strong_floor`` when a strong rule hit, else ``model_floor`` (only weak hits)."""
        if seen_end is not None and any(h.end > seen_end for h in hits):
            return 0.0
        if any(not h.weak for h in hits):
            return self.strong_floor
        return self.model_floor

    # ---- context -------------------------------------------------------------------------

    def _suppression(self, nt: NormalizedText, rule: Rule, start: int, end: int,
                     idiom_spans) -> str | None:
        for idiom, s, e in idiom_spans:
            if rule.label in idiom.labels and s < end and start < e:
                return f"idiom:{idiom.id}"
        tokens = nt.tokens
        first = nt.token_index_at(start)
        sent_start = first
        while sent_start > 0 and tokens[sent_start - 1].text != HARD_BOUNDARY:
            sent_start -= 1
        ctx = self._ctx
        padded = nt.padded
        if rule.unless is not None and rule.unless.search(padded):
            return "context"
        if rule.negatable and self._negated(tokens, first, sent_start):
            return "negation"
        if rule.person:
            who = self._subject(nt, first, sent_start, end, rule)
            if who and not (ctx.self_override and ctx.self_override.search(padded)):
                return who
        if ctx.topic and self._topic(nt, first, sent_start):
            return "topic"
        if ctx.past and ctx.resolved:
            past = next(iter_spans(ctx.past, padded, 0, end), None)
            if past and ctx.resolved.search(padded, past[1]) and not (
                    ctx.relapse and ctx.relapse.search(padded, start)):
                return "past_resolved"
        if rule.joke and not (ctx.earnest and ctx.earnest.search(padded)):
            laughing = (ctx.joke and ctx.joke.search(padded)) or any(c in ctx.joke_chars for c in nt.original)
            # laughter can mask real intent: for some labels it also needs a trivial cause
            # ("malu", "ulangan", "bosen") before it may silence a hit
            trivial = ctx.joke_requires.get(rule.label)
            if laughing and (trivial is None or trivial.search(padded)):
                return "joke"
        return None

    def _topic(self, nt: NormalizedText, first: int, sent_start: int) -> bool:
        """The hit is what a school task, a talk or a book is about ("makalah tentang faktor risiko
        bunuh diri", "poster pencegahan self harm"): a topic phrase shortly before it in the same
        sentence, and the client not named in between ("makalah tentang aku yang pengen mati" stays)."""
        ctx = self._ctx
        tokens = nt.tokens
        lo, hi = tokens[sent_start].start, tokens[first].start
        for _, e in iter_spans(ctx.topic, nt.padded, lo, hi):
            between = [t for t in tokens[sent_start:first] if t.start >= e]
            if len(between) <= ctx.topic_reach and not any(
                    t.is_boundary or ctx.self_words.fullmatch(t.text) for t in between):
                return True
        return False

    def _negated(self, tokens: Sequence[Token], first: int, sent_start: int) -> bool:
        """A negator right before the hit, possibly through a few bridge words ("ga pernah kepikiran")."""
        ctx = self._ctx
        i = first - 1
        bridged = 0
        while i >= sent_start and not tokens[i].is_boundary:
            word = tokens[i].text
            if ctx.negators.fullmatch(word):
                # "pernah ga sih ngerasa pengen ...?" is a question, not a denial
                prev = tokens[i - 1].text if i > sent_start else ""
                return not (prev and ctx.question_tags.fullmatch(prev))
            if bridged >= ctx.max_bridge or not ctx.negation_bridge.fullmatch(word):
                return False
            bridged += 1
            i -= 1
        return False

    def _subject(self, nt: NormalizedText, first: int, sent_start: int, end: int,
                 rule: Rule) -> str | None:
        """'third_person' or 'media' when the nearest person before the hit is not the client.

        The nearest mention wins, so "temenku bilang aku mending mati" is about the client
        (the client speaks last) while "temen gue mau bunuh diri" is not ("gue" is only the
        possessive of "temen": other-person phrases swallow a trailing possessive).
        """
        ctx = self._ctx
        tokens = nt.tokens
        lo = tokens[sent_start].start
        hi = tokens[first].start
        padded = nt.padded
        inside = rule.others_inside
        if inside and rule.label in ctx.media_inside_labels and next(iter_spans(ctx.media, padded, hi, end), None):
            return "media"  # "di game gue bunuh dia": the news, a film or a game inside the hit
        if rule.object_self:
            after = tokens[first:nt.token_index_at(end) + 2]
            if any(ctx.self_words.fullmatch(t.text) for t in after):
                return None
        others = ctx.others.get(rule.label) or ctx.others["default"]
        if inside and rule.label in ctx.inside_hit_labels:
            # "pengen dia mati": wishing someone else dead is not the client's own risk
            other = next(iter_spans(others, padded, hi, end), None)
            if other and not any(ctx.self_words.fullmatch(t.text) for t in tokens[first:]
                                 if other[1] <= t.start < end):
                return "third_person"
        best: tuple[int, str] | None = None
        # search up to the end of the hit's first word: in "adik [saya mau ...]" the hit
        # opens with a possessive that the other-person phrase swallows
        for pattern, why in ((others, "third_person"), (ctx.media, "media")):
            for b, e in iter_spans(pattern, padded, lo, tokens[first].end):
                if b < hi and (best is None or e > best[1]):
                    best = (b, e, why)
        if best is None:
            return None
        window = rule.subject_window
        if window is not None and best[2] == "third_person":
            # for harm the people named earlier are mostly victims: only a mention right
            # before the hit ("temen gue mau bales dendam") is its subject
            between = [t for t in tokens[sent_start:first] if t.start >= best[1]]
            if len(between) > window or any(t.text == SOFT_BOUNDARY for t in between):
                return None
        before = [t for t in tokens[sent_start:first] if t.end <= best[0]]
        if len(before) >= 2 and ctx.joiners.fullmatch(before[-1].text) and \
                ctx.self_words.fullmatch(before[-2].text):
            return None  # "gue dan temen2 lagi ngerencanain": the client is one of the subjects
        for tok in tokens[sent_start:first + 1]:
            if tok.start >= best[1] and ctx.self_words.fullmatch(tok.text):
                return None  # the client is named after the other person (or opens the hit)
        return best[2]


def iter_spans(pattern: re.Pattern[str], padded: str, lo: int = 0,
               hi: int | None = None) -> Iterator[tuple[int, int]]:
    """Normalised [start, end) of every match of a phrase regex inside normalised [lo, hi)."""
    # padded offsets are normalised + 1, and the look-ahead needs the space after: + 2
    stop = len(padded) if hi is None else min(len(padded), hi + 2)
    for m in pattern.finditer(padded, lo, stop):
        start, end = m.start(), m.end() - 1
        if end > start and (hi is None or end <= hi):
            yield start, end


def _resolve_overlaps(candidates: list[tuple[LexiconHit, int, int]]) -> list[LexiconHit]:
    """Keep one hit per overlapping region and label: active before suppressed, then longest."""
    chosen: list[tuple[LexiconHit, int, int]] = []
    order = sorted(candidates, key=lambda c: (c[0].suppressed_by is not None, -(c[2] - c[1]), c[1]))
    for hit, s, e in order:
        if any(h.label == hit.label and s < ce and cs < e for h, cs, ce in chosen):
            continue
        chosen.append((hit, s, e))
    return [h for h, _, _ in sorted(chosen, key=lambda c: (c[1], c[0].label))]


# ---- building from JSON ------------------------------------------------------------------

_RULE_KEYS = {"id", "label", "phrases", "gap", "negatable", "person", "joke", "object_self",
              "requires", "unless", "subject_window", "others_inside", "weak", "note"}


def _rule(pc: PhraseCompiler, raw: Mapping, source: str, negators: str | None = None) -> Rule:
    where = f"{source}: rule {raw.get('id', '?')!r}"
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise LexiconError(f"E-LEX-005 {where}: unknown keys {sorted(unknown)}; allowed {sorted(_RULE_KEYS)}")
    if not raw.get("id") or not raw.get("phrases"):
        raise LexiconError(f"E-LEX-006 {where}: needs an 'id' and at least one phrase")
    if raw.get("label") not in CRISIS:
        raise LexiconError(f"E-LEX-007 {where}: label {raw.get('label')!r} is not one of {CRISIS}")
    gap = int(raw.get("gap", 0))
    negatable = bool(raw.get("negatable", True))
    requires = raw.get("requires")
    unless = raw.get("unless")
    return Rule(
        id=raw["id"],
        label=raw["label"],
        pattern=pc.compile_many(raw["phrases"], gap, where, negators if negatable else None),
        negatable=negatable,
        person=bool(raw.get("person", True)),
        joke=bool(raw.get("joke", False)),
        object_self=bool(raw.get("object_self", False)),
        requires=pc.compile_many(requires, gap, where + " requires") if requires else None,
        unless=pc.compile_many(unless, 0, where + " unless") if unless else None,
        subject_window=None if raw.get("subject_window") is None else int(raw["subject_window"]),
        others_inside=bool(raw.get("others_inside", True)),
        weak=bool(raw.get("weak", False)),
    )


def _idiom(pc: PhraseCompiler, raw: Mapping, source: str) -> _Idiom:
    where = f"{source}: idiom {raw.get('id', '?')!r}"
    labels = frozenset(raw.get("labels") or CRISIS)
    if not labels <= set(CRISIS) or "id" not in raw or not raw.get("phrases"):
        raise LexiconError(f"E-LEX-008 {where}: needs id, phrases and labels from {CRISIS}")
    return _Idiom(raw["id"], labels, pc.compile_many(raw["phrases"], int(raw.get("gap", 0)), where))


def _context(pc: PhraseCompiler, raw: Mapping, source: str) -> _Context:
    def words(key: str) -> re.Pattern[str]:
        if not raw.get(key):
            raise LexiconError(f"E-LEX-009 {source}: context.{key} is missing or empty")
        return re.compile("|".join(pc.token_regex(w) for w in raw[key]))

    def phrases(key: str) -> re.Pattern[str] | None:
        return pc.compile_many(raw[key], 0, f"{source}: context.{key}") if raw.get(key) else None

    def people(entries: Sequence[str], where: str) -> re.Pattern[str]:
        # "temen gue", "temen SMA saya": a trailing possessive belongs to the noun; the
        # entries become one class so the possessive suffix is compiled once, not per entry
        name = "__" + re.sub(r"\W", "_", where)
        pc.add_class(name, entries)
        suffix = " @NPMOD? @NPMOD? @NPMOD? @SELF?" if "NPMOD" in pc.class_names else " @SELF?"
        return pc.compile_many([f"@{name}{suffix}"], 0, where)

    if not raw.get("self"):
        raise LexiconError(f"E-LEX-009 {source}: context.self is missing or empty")
    pc.add_class("SELF", raw["self"])
    others_raw = raw.get("others")
    if not isinstance(others_raw, Mapping) or "default" not in others_raw:
        raise LexiconError(f"E-LEX-010 {source}: context.others needs a 'default' list")
    others = {}
    for label, entries in others_raw.items():
        if label != "default" and label not in CRISIS:
            raise LexiconError(f"E-LEX-011 {source}: context.others has unknown label {label!r}")
        others[label] = people(entries, f"{source}: context.others.{label}")
    if not raw.get("media"):
        raise LexiconError(f"E-LEX-009 {source}: context.media is missing or empty")
    return _Context(
        self_words=words("self"),
        others=others,
        media=people(raw["media"], f"{source}: context.media"),
        negators=words("negators"),
        negation_bridge=words("negation_bridge"),
        self_override=phrases("self_override"),
        past=phrases("past"),
        resolved=phrases("resolved"),
        relapse=phrases("relapse"),
        joke=phrases("joke"),
        earnest=phrases("earnest"),
        joke_chars=frozenset(raw.get("joke_chars", "")),
        inside_hit_labels=frozenset(raw.get("inside_hit_labels", ())),
        media_inside_labels=frozenset(raw.get("media_inside_labels", ())),
        joiners=words("joiners") if raw.get("joiners") else re.compile("(?!)"),
        question_tags=words("question_tags") if raw.get("question_tags") else re.compile("(?!)"),
        joke_requires={label: pc.compile_many(ps, 0, f"{source}: context.joke_requires.{label}")
                       for label, ps in raw.get("joke_requires", {}).items()},
        max_bridge=int(raw.get("max_bridge", 3)),
        topic=phrases("topic"),
        topic_reach=int(raw.get("topic_reach", 4)),
    )


@lru_cache(maxsize=1)
def _shipped_lexicon() -> RiskLexicon:
    return RiskLexicon.load()
