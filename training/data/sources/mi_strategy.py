"""mi_strategy_en: counselor sentences from CounselChat coded with 15 MI behaviours (English).

Two sources, kept apart so training can weight them differently:
- `mi_strategy_en`: the 1,681 human-coded sentences (`mi_gold_test_output.csv`, column
  `Ground truth`); no conversation ids, so each sentence is its own group.
- `mi_strategy_en_weak`: CounselChat listener sentences labelled automatically by the
  authors' n-gram and cosine matchers (`Union (without disambiguities)`); grouped by dialog.
Both give a skill and a PROXY `judgmental` flag (Confront / Warn / Advise without Permission);
`proxy` is set because of the latter, the skill mapping itself is direct.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from training.data.anonymise import anonymise
from training.data.example import Example
from training.data.skill_mapping import MI_CODE_TO_SKILL, MI_JUDGMENTAL_CODES
from training.data.sources.public_source import PublicSource, read_csv, usable
from training.data.splits import conversation_group, text_group

NAME_GOLD = "mi_strategy_en"
NAME_WEAK = "mi_strategy_en_weak"
FOLDER = "mi_strategy_en"
FILE_GOLD = "mi_gold_test_output.csv"
FILE_WEAK = "mi_augmented_counselchat.csv"


def _example(name: str, row_id: str, text: str, code: str, group: str) -> Example:
    return Example(
        id=f"{name}:{row_id}",
        source=name,
        lang="en",
        role="counselor",
        text=text,
        group=group,
        flags={"judgmental": int(code in MI_JUDGMENTAL_CODES)},
        skill=MI_CODE_TO_SKILL[code],
        proxy=True,
    )


def load_gold(folder: Path, stats: Counter[str]) -> list[Example]:
    """Human-coded sentences."""
    rows: list[Example] = []
    for line, rec in enumerate(read_csv(folder / FILE_GOLD), start=2):
        stats["rows_read"] += 1
        code = rec["Ground truth"].strip()
        if code not in MI_CODE_TO_SKILL:
            stats[f"dropped_unknown_code:{code}"] += 1
            continue
        text = usable(anonymise(rec["Text"]), stats)
        if text is not None:
            rows.append(_example(NAME_GOLD, str(line), text, code, text_group(text)))
    return rows


def load_weak(folder: Path, stats: Counter[str]) -> list[Example]:
    """Automatically coded listener sentences; rows without a code are skipped."""
    rows: list[Example] = []
    for line, rec in enumerate(read_csv(folder / FILE_WEAK), start=2):
        if rec["author"] != "listener":
            continue
        stats["rows_read"] += 1
        code = rec["Union (without disambiguities)"].strip()
        if not code:
            stats["dropped_no_weak_label"] += 1
            continue
        if code not in MI_CODE_TO_SKILL:
            stats[f"dropped_unknown_code:{code}"] += 1
            continue
        text = usable(anonymise(rec["text"]), stats)
        if text is not None:
            dialog = rec["dialog_id"].split("|")[-1].strip()
            group = conversation_group(NAME_WEAK, dialog)
            rows.append(_example(NAME_WEAK, str(line), text, code, group))
    return rows


SOURCE_GOLD = PublicSource(
    name=NAME_GOLD,
    folder=FOLDER,
    files=(FILE_GOLD,),
    repository="anuradha1992/Boosting-with-MI-Strategy @ 5850f07",
    licence="CC BY-NC-SA 3.0",
    lang="en",
    proxy=True,
    load=load_gold,
    card="mi_strategy_en.md",
)
SOURCE_WEAK = PublicSource(
    name=NAME_WEAK,
    folder=FOLDER,
    files=(FILE_WEAK,),
    repository="anuradha1992/Boosting-with-MI-Strategy @ 5850f07",
    licence="CC BY-NC-SA 3.0",
    lang="en",
    proxy=True,
    load=load_weak,
    card="mi_strategy_en.md",
)
