"""Fixed hashed splits: a row's split depends only on its group, so it never leaks or moves.

Groups are namespaced strings. Conversation data uses ``<source>/<conversation id>``, so the
hash covers source and group together. Single-message sources (tweets, authored one-liners)
use ``text/<digest of the normalised text>`` instead: the same tweet shipped in two public
sets then lands in the same split, which a per-source hash could not guarantee.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from training.data.dedupe import normalise
from training.data.example import SPLITS, Example

DEFAULT_RATIOS: Mapping[str, int] = {"train": 80, "dev": 10, "test": 10}


def conversation_group(source: str, conversation_id: str) -> str:
    """Group key of every message of one conversation, transcript or session."""
    return f"{source}/{conversation_id}"


def text_group(text: str) -> str:
    """Group key of a stand-alone message: its normalised text, so duplicates share a split."""
    return "text/" + hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:20]


def split_of(group: str, ratios: Mapping[str, int] = DEFAULT_RATIOS) -> str:
    """The split of ``group``: its sha256 bucket 0-99 cut by ``ratios`` (percentages)."""
    if sorted(ratios) != sorted(SPLITS) or sum(ratios.values()) != 100:
        raise ValueError(f"split ratios need {list(SPLITS)} summing to 100, got {dict(ratios)}")
    bucket = int(hashlib.sha256(group.encode("utf-8")).hexdigest()[:8], 16) % 100
    edge = 0
    for name in SPLITS:
        edge += ratios[name]
        if bucket < edge:
            return name
    raise AssertionError("unreachable: ratios sum to 100")


def assign_splits(rows: Iterable[Example], ratios: Mapping[str, int] = DEFAULT_RATIOS) -> None:
    """Set ``split`` on every row from its group (in place)."""
    for row in rows:
        row.split = split_of(row.group, ratios)
