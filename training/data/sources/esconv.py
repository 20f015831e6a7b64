"""esconv_en: emotional-support conversations with a strategy per supporter turn (English).

Only the dev and test files of the original release are here. Each line of a file is one
supporter turn with its dialogue so far (`... EOS <w> <speaker> <turn> [Strategy] text`); the
last segment is the turn itself. Conversations are recovered where the turn counter restarts,
and rows are grouped by them. `Questions` turns are dropped: open vs closed is not annotated.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from training.data.anonymise import anonymise
from training.data.example import Example
from training.data.skill_mapping import ESCONV_TO_SKILL
from training.data.sources.public_source import PublicSource, usable
from training.data.splits import conversation_group

NAME = "esconv_en"
FILES = ("devWithStrategy_short.tsv", "testWithStrategy_short.tsv")
_TURN = re.compile(
    r"^\S+ (?P<speaker>[01]) (?P<turn>\d+) \[(?P<strategy>[^\]]+)\] (?P<text>.*)$", re.S
)


def load(folder: Path, stats: Counter[str]) -> list[Example]:
    """Supporter turns with their strategy mapped to a skill."""
    rows: list[Example] = []
    for name in FILES:
        part = name.split("WithStrategy")[0]
        conversation, last_turn = 0, -1
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            stats["rows_read"] += 1
            m = _TURN.match(line.split(" EOS ")[-1].strip())
            if m is None or m["speaker"] != "1":
                stats["dropped_unparsed_line"] += 1
                continue
            turn = int(m["turn"])
            if turn <= last_turn:
                conversation += 1
            last_turn = turn
            strategy = m["strategy"]
            if strategy not in ESCONV_TO_SKILL:
                stats[f"dropped_unknown_strategy:{strategy}"] += 1
                continue
            skill = ESCONV_TO_SKILL[strategy]
            if skill is None:
                stats[f"dropped_unmapped:{strategy}"] += 1
                continue
            text = usable(anonymise(m["text"]), stats)
            if text is None:
                continue
            conv_id = f"{part}-{conversation:04d}"
            rows.append(
                Example(
                    id=f"{NAME}:{conv_id}:{turn}",
                    source=NAME,
                    lang="en",
                    role="counselor",
                    text=text,
                    group=conversation_group(NAME, conv_id),
                    skill=skill,
                )
            )
    return rows


SOURCE = PublicSource(
    name=NAME,
    folder=NAME,
    files=FILES,
    repository="thu-coai/Emotional-Support-Conversation @ f262d06",
    licence="CC BY-NC 4.0 (academic use)",
    lang="en",
    proxy=False,
    load=load,
    card="esconv_en.md",
)
