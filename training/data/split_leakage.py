"""Near-verbatim twins across splits: a dev/test row whose paraphrase sits in train.

Hashed splits keep identical texts together, but two differently worded copies of one message
(the same counselor line written once formally and once casually) get different groups and may
straddle splits, which flatters dev and test scores. Moving them would make a row's split depend
on other rows, so they are measured and listed instead: evaluation can drop the listed ids.
Only authored rows are checked; embedding every public row would cost more than the build.
"""

from __future__ import annotations

from typing import Any

from training.data.example import Example
from training.data.text_encoders import TextEncoder

BLOCK = 1024


def cross_split_twins(
    rows: list[Example], encoder: TextEncoder, threshold: float
) -> dict[str, Any]:
    """Per held-out split: rows, how many have a train row at cosine >= threshold, and which."""
    authored = [r for r in rows if r.source.startswith("authored") and not r.augmented]
    train = [r for r in authored if r.split == "train"]
    report: dict[str, Any] = {"cosine": threshold, "scope": "authored rows"}
    if not train:
        return report
    train_vecs = encoder.encode([r.text for r in train])
    for split in ("dev", "test"):
        held = [r for r in authored if r.split == split]
        twins: list[dict[str, Any]] = []
        if held:
            vecs = encoder.encode([r.text for r in held])
            for start in range(0, len(held), BLOCK):
                sims = vecs[start:start + BLOCK] @ train_vecs.T
                for k, j in enumerate(sims.argmax(axis=1).tolist()):
                    cos = float(sims[k, j])
                    if cos >= threshold:
                        row, twin = held[start + k], train[j]
                        twins.append({"id": row.id, "text": row.text, "train_id": twin.id,
                                      "train_text": twin.text, "cosine": round(cos, 4)})
        report[split] = {"rows": len(held), "with_train_twin": len(twins),
                         "share": round(len(twins) / len(held), 4) if held else None,
                         "twins": twins}
    return report


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """The report without the twin lists, for the manifest."""
    return {k: ({kk: vv for kk, vv in v.items() if kk != "twins"} if isinstance(v, dict) else v)
            for k, v in report.items()}
