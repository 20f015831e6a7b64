"""saputri_emotion: Indonesian tweets with five emotions (anger, happy, sadness, fear, love).

Mapped with `training.data.emotion_mapping` (love is dropped). Handles and links were already
replaced by ``[USERNAME]`` / ``[URL]``; they become our placeholders.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from training.data.anonymise import anonymise_tweet
from training.data.emotion_mapping import map_emotion
from training.data.example import Example
from training.data.sources.public_source import PublicSource, read_csv, usable
from training.data.splits import text_group
from training.data.text_repair import unescape_html

NAME = "saputri_emotion"
FILE = "Twitter_Emotion_Dataset.csv"
SLANG_FILE = "kamus_singkatan.csv"  # used by augmentation and the diversity report


def load(folder: Path, stats: Counter[str]) -> list[Example]:
    """Read the labelled tweets and map their emotion."""
    rows: list[Example] = []
    for line, rec in enumerate(read_csv(folder / FILE), start=2):
        stats["rows_read"] += 1
        emotion = map_emotion(rec["label"])
        if emotion is None:
            stats[f"dropped_label:{rec['label'].strip().lower()}"] += 1
            continue
        text = usable(anonymise_tweet(unescape_html(rec["tweet"])), stats)
        if text is None:
            continue
        rows.append(
            Example(
                id=f"{NAME}:{line}",
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
    files=(FILE,),
    repository="meisaputri21/Indonesian-Twitter-Emotion-Dataset @ c0594f1",
    licence="CC BY-NC-SA 4.0",
    lang="id",
    proxy=False,
    load=load,
    card="saputri_emotion.md",
)
