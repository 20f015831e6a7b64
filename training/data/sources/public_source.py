"""What every public-dataset loader declares, and the few steps they all share."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from training.data.example import Example
from training.data.text_repair import tidy_whitespace

# Below this many word characters a message carries no label signal ("?", "wkwk" survives).
MIN_WORD_CHARS = 2
_PLACEHOLDER = re.compile(r"<[A-Z]+>")

LoadFn = Callable[[Path, Counter[str]], list[Example]]


@dataclass(frozen=True)
class PublicSource:
    """A public dataset: its files under the datasets root, provenance, licence and loader."""

    name: str
    folder: str
    files: tuple[str, ...]
    repository: str  # "owner/name @ commit", as in ../shared/datasets/README.md
    licence: str
    lang: str
    proxy: bool  # True when its labels only approximate ours (see the data card)
    load: LoadFn
    card: str  # file name in data_cards/

    def paths(self, root: Path) -> list[Path]:
        """Absolute paths of the input files."""
        return [root / self.folder / f for f in self.files]

    def missing(self, root: Path) -> list[str]:
        """Input files that are absent, relative to the datasets root."""
        return [f"{self.folder}/{f}" for f in self.files if not (root / self.folder / f).is_file()]


def read_csv(path: Path, encoding: str = "utf-8", delimiter: str = ",") -> Iterator[dict[str, str]]:
    """CSV rows as dicts; the text is decoded first so a Latin-1 file never raises."""
    text = path.read_bytes().decode(encoding)
    yield from csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)


def usable(text: str, stats: Counter[str]) -> str | None:
    """Tidy whitespace; return None (and count it) when nothing meaningful is left."""
    text = tidy_whitespace(text)
    if sum(ch.isalnum() for ch in _PLACEHOLDER.sub("", text)) < MIN_WORD_CHARS:
        stats["dropped_empty_after_cleaning"] += 1
        return None
    return text
