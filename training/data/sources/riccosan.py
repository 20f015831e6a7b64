"""riccosan_emotion_opinion: Indonesian public-opinion tweets, one tab-separated file per emotion.

Licence CC BY-NC-ND 4.0: we may train on it, but derived data (this build included) must not
be redistributed. Love is dropped (see `training.data.emotion_mapping`).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from training.data.anonymise import anonymise_tweet
from training.data.emotion_mapping import map_emotion
from training.data.example import Example
from training.data.sources.public_source import PublicSource, usable
from training.data.splits import text_group
from training.data.text_repair import unescape_html

NAME = "riccosan_emotion_opinion"
FILES = (
    "AngerData.csv",
    "FearData.csv",
    "JoyData.csv",
    "LoveData.csv",
    "NeutralData.csv",
    "SadData.csv",
)


def load(folder: Path, stats: Counter[str]) -> list[Example]:
    """Read every per-emotion file; the label is the last tab-separated field of a line."""
    rows: list[Example] = []
    for name in FILES:
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        # Split on the last tab only: csv quoting rules would eat tweets that start with '"'.
        for line_no, line in enumerate(lines[1:], start=2):
            if not line.strip():
                continue
            stats["rows_read"] += 1
            tweet, _, label = line.rpartition("\t")
            emotion = map_emotion(label)
            if emotion is None:
                stats[f"dropped_label:{label.strip().lower()}"] += 1
                continue
            text = usable(anonymise_tweet(unescape_html(tweet)), stats)
            if text is None:
                continue
            rows.append(
                Example(
                    id=f"{NAME}:{name.removesuffix('Data.csv').lower()}:{line_no}",
                    source=NAME,
                    lang="id",
                    role="client",
                    text=text,
                    group=text_group(text),
                    emotion=emotion,
                )
            )
    return rows


SOURCE = PublicSource(
    name=NAME,
    folder=NAME,
    files=FILES,
    repository="Ricco48/Emotion-Dataset-from-Indonesian-Public-Opinion @ 3368985",
    licence="CC BY-NC-ND 4.0",
    lang="id",
    proxy=False,
    load=load,
    card="riccosan_emotion_opinion.md",
)
