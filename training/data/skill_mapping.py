"""How English counseling annotations map onto our counselor skills and the `judgmental` proxy.

Skills (copilot.labels.SKILLS): open_question, closed_question, reflection, other.
A code that cannot be mapped honestly maps to None and the row is dropped for that target:
ESConv's `Questions` does not say open or closed, so it is not guessed.
"""

from __future__ import annotations

from copilot.labels import SKILLS

# MI codes of Welivita & Pu (mi_strategy_en, ebp_labels.txt).
MI_CODE_TO_SKILL: dict[str, str] = {
    "Open Question": "open_question",
    "Closed Question": "closed_question",
    "Simple Reflection": "reflection",
    "Complex Reflection": "reflection",
    "Give Information": "other",
    "Advise with Permission": "other",
    "Advise without Permission": "other",
    "Affirm": "other",
    "Emphasize Autonomy": "other",
    "Support": "other",
    "Confront": "other",
    "Direct": "other",
    "Warn": "other",
    "Self-Disclose": "other",
    "Other": "other",
}
# MI-inconsistent codes that come closest to "a sentence that makes the client feel judged"
# (guideline 4.1-4.2). A proxy: unsolicited advice is pushy more than judging.
MI_JUDGMENTAL_CODES: frozenset[str] = frozenset({"Confront", "Warn", "Advise without Permission"})

# ESConv supporter strategies (Liu et al. 2021).
ESCONV_TO_SKILL: dict[str, str | None] = {
    "Questions": None,  # open vs closed not annotated
    "Restatement or Paraphrasing": "reflection",
    "Reflection of feelings": "reflection",
    "Self-disclosure": "other",
    "Affirmation and Reassurance": "other",
    "Providing Suggestions": "other",
    "Information": "other",
    "Other": "other",
}

# AnnoMI main therapist behaviour (+ question subtype for questions).
ANNOMI_BEHAVIOUR_TO_SKILL: dict[str, str] = {
    "reflection": "reflection",
    "therapist_input": "other",
    "other": "other",
}
ANNOMI_QUESTION_SUBTYPE: dict[str, str] = {"open": "open_question", "closed": "closed_question"}

_TABLES = (MI_CODE_TO_SKILL, ESCONV_TO_SKILL, ANNOMI_BEHAVIOUR_TO_SKILL, ANNOMI_QUESTION_SUBTYPE)
for _table in _TABLES:
    assert {v for v in _table.values() if v is not None} <= set(SKILLS)
