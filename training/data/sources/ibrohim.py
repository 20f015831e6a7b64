"""Ibrohim & Budi abusive-language tweets (2018 and 2019): a PROXY for our `abusive` flag.

Both sets are insults and profanity on Twitter, mostly about politicians or other users, not
a client insulting their counselor; rows are marked ``proxy`` so training can weight or drop
them. The files are Latin-1 with literal ``\\xNN`` escape sequences and a stray trailing
quote (the tweets were dumped from Python byte-string reprs).

2018 levels: 1 not abusive, 2 abusive but not offensive (profanity aimed at nobody:
"kampret emang endingnya"), 3 offensive. Only 3 is `abusive`; 2 becomes a hard negative,
because a client swearing about their boss is not abusing the counselor.
2019 (`re_dataset.csv`): its binary `Abusive` column, which includes untargeted profanity,
so it is the weaker proxy of the two.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from training.data.anonymise import anonymise_tweet
from training.data.example import Example
from training.data.sources.public_source import PublicSource, read_csv, usable
from training.data.splits import text_group
from training.data.text_repair import (
    decode_byte_escapes,
    drop_broken_utf8,
    fix_mojibake,
    unescape_html,
)

NAME_2018 = "ibrohim_abusive_2018"
NAME_2019 = "ibrohim_hate_abusive"
FILE_2018 = "re_dataset_three_labels.csv"
FILE_2019 = "re_dataset.csv"
LEVEL_2018 = {"1": 0, "2": 0, "3": 1}


def repair(raw: str) -> str:
    """Drop the repr's trailing quote, decode ``\\xNN`` escapes, repair mojibake and lost bytes."""
    text = raw.rstrip()
    # The dump wrapped each tweet as b'...' and kept the closing quote (half of all rows); a
    # real closing quote at the very end is rare and harmless to lose.
    if text.endswith("'"):
        text = text[:-1]
    text = drop_broken_utf8(fix_mojibake(decode_byte_escapes(text)))
    return unescape_html(text)


def _row(name: str, line: int, text: str, abusive: int, hard_negative: bool) -> Example:
    return Example(
        id=f"{name}:{line}",
        source=name,
        lang="id",
        role="client",
        text=text,
        group=text_group(text),
        risk={"abusive": abusive},
        proxy=True,
        hard_negative=hard_negative,
    )


def load_2018(folder: Path, stats: Counter[str]) -> list[Example]:
    """Three-level abusive-language tweets; only `offensive` maps to `abusive`."""
    rows: list[Example] = []
    for line, rec in enumerate(read_csv(folder / FILE_2018, encoding="latin-1"), start=2):
        stats["rows_read"] += 1
        level = rec["Label"].strip()
        if level not in LEVEL_2018:
            stats["dropped_bad_label"] += 1
            continue
        text = usable(anonymise_tweet(repair(rec["Tweet"])), stats)
        if text is not None:
            rows.append(_row(NAME_2018, line, text, LEVEL_2018[level], hard_negative=level == "2"))
    return rows


def load_2019(folder: Path, stats: Counter[str]) -> list[Example]:
    """Multi-label hate-speech tweets; only the `Abusive` column is used."""
    rows: list[Example] = []
    for line, rec in enumerate(read_csv(folder / FILE_2019, encoding="latin-1"), start=2):
        stats["rows_read"] += 1
        if rec["Abusive"] not in ("0", "1"):
            stats["dropped_bad_label"] += 1
            continue
        text = usable(anonymise_tweet(repair(rec["Tweet"])), stats)
        if text is not None:
            rows.append(_row(NAME_2019, line, text, int(rec["Abusive"]), hard_negative=False))
    return rows


SOURCE_2018 = PublicSource(
    name=NAME_2018,
    folder=NAME_2018,
    files=(FILE_2018,),
    repository="okkyibrohim/id-abusive-language-detection @ 3f51156",
    licence="CC BY-NC-SA 4.0",
    lang="id",
    proxy=True,
    load=load_2018,
    card="ibrohim_abusive_2018.md",
)
SOURCE_2019 = PublicSource(
    name=NAME_2019,
    folder=NAME_2019,
    files=(FILE_2019,),
    repository="okkyibrohim/id-multi-label-hate-speech-and-abusive-language-detection @ be98de9",
    licence="CC BY-NC-SA 4.0",
    lang="id",
    proxy=True,
    load=load_2019,
    card="ibrohim_hate_abusive.md",
)
