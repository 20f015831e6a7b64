"""epitome_en: Reddit replies to help-seeking posts, rated for three empathy mechanisms.

The mechanisms (emotional reactions, interpretations, explorations) are not our skills: an
exploration may be a closed question, an interpretation is often self-disclosure. The one
honest mapping: a reply rated 0 on all three (no exploring, no understanding shown) and
without a question mark is advice or information, skill `other`. Everything else is not
emitted; the empathy ratings would need a target our schema does not have. Grouped by the
seeker post.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from training.data.anonymise import anonymise
from training.data.example import Example
from training.data.sources.public_source import PublicSource, read_csv, usable
from training.data.splits import conversation_group

NAME = "epitome_en"
FILES = (
    "emotional-reactions-reddit.csv",
    "interpretations-reddit.csv",
    "explorations-reddit.csv",
)


def load(folder: Path, stats: Counter[str]) -> list[Example]:
    """Replies with no empathy mechanism and no question, as skill `other`."""
    levels: dict[tuple[str, str], list[str]] = {}
    texts: dict[tuple[str, str], str] = {}
    for name in FILES:
        for rec in read_csv(folder / name):
            key = (rec["sp_id"], rec["rp_id"])
            levels.setdefault(key, []).append(rec["level"])
            texts[key] = rec["response_post"]
    rows: list[Example] = []
    for key in sorted(levels):
        stats["rows_read"] += 1
        if len(levels[key]) != len(FILES):
            stats["dropped_not_rated_on_all_mechanisms"] += 1
            continue
        if any(level != "0" for level in levels[key]) or "?" in texts[key]:
            stats["dropped_no_honest_skill"] += 1
            continue
        text = usable(anonymise(texts[key]), stats)
        if text is None:
            continue
        seeker, response = key
        rows.append(
            Example(
                id=f"{NAME}:{seeker}:{response}",
                source=NAME,
                lang="en",
                role="counselor",
                text=text,
                group=conversation_group(NAME, seeker),
                skill="other",
            )
        )
    return rows


SOURCE = PublicSource(
    name=NAME,
    folder=NAME,
    files=FILES,
    repository="behavioral-data/Empathy-Mental-Health @ 0e11f98",
    licence="none stated",
    lang="en",
    proxy=False,
    load=load,
    card="epitome_en.md",
)
