"""The counselor lint as a gate for suggestions: every flag the analyzer raises, plus the rewording rules.

The rules run even beside the model: a suggestion must never carry a judging or
belief-imposing phrase, so any single detector saying so is enough to drop it. Texts are
checked one at a time, as the service lints a draft: the int8 model's scores depend a little
on what else is in the batch (activation ranges are computed per batch).
"""

from __future__ import annotations

from copilot import rewording
from copilot.analysis import Analysis
from copilot.labels import COUNSELOR_FLAGS

# A suggestion must stay clean when the counselor sends it and the service lints it again, on
# another batch or machine: int8 scores move a little, so a line within this margin of a flag
# threshold counts as flagged.
MARGIN = 0.05


def counselor_lint(text: str, analysis: Analysis, margin: float = 0.0) -> list[str]:
    """Counselor flags on ``text``: the analyzer's (model and contact patterns), the phrase rules',
    and, with ``margin``, every label whose model score is within ``margin`` of its threshold."""
    flags = list(analysis.flags)
    for label, score in analysis.scores.items():
        t = analysis.thresholds.get(label)
        if (
            t is not None
            and label in COUNSELOR_FLAGS
            and score >= t - margin
            and label not in flags
        ):
            flags.append(label)
    for p in rewording.find_phrases(text):
        if p.label not in flags:
            flags.append(p.label)
    return flags
