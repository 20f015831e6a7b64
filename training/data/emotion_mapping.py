"""How the public emotion labels map onto the copilot's emotion ids (copilot.labels.EMOTIONS).

`love` is dropped, not mapped to `senang`: in both sets it is affection for someone or
something (poems, crushes, "suka banget", even "suka telat" = "often late"), which says
nothing about how the writer feels; and a client who says "aku masih sayang dia" is usually
sad, not happy. Our ids with no public counterpart (kecewa, bersalah, putus_asa, kesepian)
come from authored data only.
"""

from __future__ import annotations

from copilot.labels import EMOTIONS

PUBLIC_TO_OURS: dict[str, str] = {
    "anger": "marah",
    "sadness": "sedih",
    "sad": "sedih",
    "fear": "cemas",
    "happy": "senang",
    "joy": "senang",
    "neutral": "netral",
}
DROPPED: frozenset[str] = frozenset({"love"})

assert set(PUBLIC_TO_OURS.values()) <= set(EMOTIONS)


def map_emotion(label: str) -> str | None:
    """Our emotion id for a public label (case-insensitive); None when it is dropped.

    Raises KeyError for a label this mapping has never seen, so a changed file fails loudly.
    """
    key = label.strip().lower()
    if key in DROPPED:
        return None
    return PUBLIC_TO_OURS[key]
