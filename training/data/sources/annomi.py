"""annomi_en: 133 transcribed motivational-interviewing demonstrations (English, YouTube).

Therapist utterances become counselor rows with a skill: question (open/closed subtype),
reflection, therapist_input/other -> other. Seven transcripts were annotated by ten people;
their utterances take the majority skill and are dropped on a tie. Grouped by transcript.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from training.data.anonymise import anonymise
from training.data.example import Example
from training.data.skill_mapping import ANNOMI_BEHAVIOUR_TO_SKILL, ANNOMI_QUESTION_SUBTYPE
from training.data.sources.public_source import PublicSource, read_csv, usable
from training.data.splits import conversation_group

NAME = "annomi_en"
FILE = "AnnoMI-full.csv"


def _skill(rec: dict[str, str]) -> str | None:
    behaviour = rec["main_therapist_behaviour"]
    if behaviour == "question":
        return ANNOMI_QUESTION_SUBTYPE.get(rec["question_subtype"])
    return ANNOMI_BEHAVIOUR_TO_SKILL.get(behaviour)


def load(folder: Path, stats: Counter[str]) -> list[Example]:
    """Therapist utterances with the annotators' majority skill."""
    votes: dict[tuple[int, int], Counter[str | None]] = defaultdict(Counter)
    texts: dict[tuple[int, int], str] = {}
    for rec in read_csv(folder / FILE):
        if rec["interlocutor"] != "therapist":
            continue
        stats["rows_read"] += 1
        key = (int(rec["transcript_id"]), int(rec["utterance_id"]))
        votes[key][_skill(rec)] += 1
        texts[key] = rec["utterance_text"]

    rows: list[Example] = []
    for key in sorted(votes):
        (top, n), *rest = votes[key].most_common()
        if rest and rest[0][1] == n:
            stats["dropped_annotator_tie"] += 1
            continue
        if top is None:
            stats["dropped_unmapped_code"] += 1
            continue
        text = usable(anonymise(texts[key]), stats)
        if text is None:
            continue
        transcript, utterance = key
        rows.append(
            Example(
                id=f"{NAME}:{transcript}:{utterance}",
                source=NAME,
                lang="en",
                role="counselor",
                text=text,
                group=conversation_group(NAME, str(transcript)),
                skill=top,
            )
        )
    return rows


SOURCE = PublicSource(
    name=NAME,
    folder=NAME,
    files=(FILE,),
    repository="uccollab/AnnoMI @ 4293664",
    licence="not stated",
    lang="en",
    proxy=False,
    load=load,
    card="annomi_en.md",
)
