"""Exact and normalised duplicates: keep one row per text, drop texts whose labels disagree.

Rows arrive in source-priority order (config `sources.enabled`), so when the same text is in
several sources the first source's row is kept. Within one source, copies with identical
targets collapse to the first. When copies disagree ("Okay." is `other` in most AnnoMI
transcripts and `reflection` in a few), a strict majority of copies decides; without one the
text is ambiguous label noise and all its copies are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from training.data.example import Example

_PLACEHOLDER = re.compile(r"<[A-Z]+>")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Case-folded letters and digits only, placeholders removed: the key for near-exact copies."""
    t = unicodedata.normalize("NFKC", text)
    t = _PLACEHOLDER.sub(" ", t).casefold()
    t = _NON_WORD.sub(" ", t).strip()
    return t or text.strip()  # an emoji-only message is still a message


@dataclass
class DedupeReport:
    """What was dropped and why, per source."""

    duplicate: Counter[str] = field(default_factory=Counter)
    outvoted: Counter[str] = field(default_factory=Counter)  # minority copies of a majority text
    conflict: Counter[str] = field(default_factory=Counter)  # no majority: every copy dropped
    cross_source: Counter[str] = field(default_factory=Counter)  # "dropped_source<kept_source"

    def to_json(self) -> dict[str, dict[str, int]]:
        """Sorted, so the manifest is byte-stable."""
        return {
            "duplicate": dict(sorted(self.duplicate.items())),
            "outvoted": dict(sorted(self.outvoted.items())),
            "conflict": dict(sorted(self.conflict.items())),
            "cross_source": dict(sorted(self.cross_source.items())),
        }


def _targets(row: Example) -> tuple[object, ...]:
    return (tuple(sorted(row.risk.items())), tuple(sorted(row.flags.items())), row.skill,
            row.emotion)


def drop_duplicates(rows: Iterable[Example]) -> tuple[list[Example], DedupeReport]:
    """Return the rows to keep (input order preserved) and a report of the dropped ones."""
    rows = list(rows)
    report = DedupeReport()
    by_key: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_key[(row.lang, row.role, normalise(row.text))].append(i)

    keep: set[int] = set()
    for indices in by_key.values():
        per_source: dict[str, list[int]] = defaultdict(list)
        for i in indices:
            per_source[rows[i].source].append(i)
        survivors: list[int] = []
        for source, idx in per_source.items():
            votes = Counter(_targets(rows[j]) for j in idx)
            (winner, n), *_ = votes.most_common(1)
            if 2 * n <= len(idx):
                report.conflict[source] += len(idx)
                continue
            survivors.append(next(j for j in idx if _targets(rows[j]) == winner))
            if n > 1:
                report.duplicate[source] += n - 1
            if len(idx) > n:
                report.outvoted[source] += len(idx) - n
        if not survivors:
            continue
        kept = min(survivors)  # earliest row = highest-priority source
        keep.add(kept)
        for j in survivors:
            if j != kept:
                report.cross_source[f"{rows[j].source}<{rows[kept].source}"] += 1
    return [row for i, row in enumerate(rows) if i in keep], report
