"""apricitea_suicide_id: Indonesian tweets voted suicidal / not by three annotators.

The `majority` vote becomes our `suicidal` target; it is the only label this set knows.
Negatives were collected with the same suicide keywords as positives ("bunuh diri", "mati"),
so every negative is marked a hard negative.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from training.data.anonymise import anonymise_tweet
from training.data.example import Example
from training.data.sources.public_source import PublicSource, read_csv, usable
from training.data.splits import text_group
from training.data.text_repair import drop_broken_utf8, fix_mojibake, unescape_html

NAME = "apricitea_suicide_id"
FILE = "suicide_ideation_3annot.csv"


def load(folder: Path, stats: Counter[str]) -> list[Example]:
    """Read the annotated tweets; repair mojibake (ftfy) and anonymise before mapping."""
    rows: list[Example] = []
    for rec in read_csv(folder / FILE):
        stats["rows_read"] += 1
        if rec["majority"] not in ("0", "1"):
            stats["dropped_bad_label"] += 1
            continue
        repaired = unescape_html(drop_broken_utf8(fix_mojibake(rec["tweet"])))
        text = usable(anonymise_tweet(repaired), stats)
        if text is None:
            continue
        suicidal = int(rec["majority"])
        rows.append(
            Example(
                id=f"{NAME}:{rec['index']}",
                source=NAME,
                lang="id",
                role="client",
                text=text,
                group=text_group(text),
                risk={"suicidal": suicidal},
                hard_negative=suicidal == 0,
            )
        )
    return rows


SOURCE = PublicSource(
    name=NAME,
    folder=NAME,
    files=(FILE,),
    repository="apricitea/text-suicide-ideation-detection @ 14f1cee",
    licence="none stated",
    lang="id",
    proxy=False,
    load=load,
    card="apricitea_suicide_id.md",
)
