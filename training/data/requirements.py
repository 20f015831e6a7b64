"""The issue's minimum counts for authored data, checked against what the folder holds.

Counts come from stand-alone client and counselor messages; session turns are reported
separately and do not count towards them. Thresholds live in the config (`[requirements]`).
"""

from __future__ import annotations

from typing import Any

from copilot.labels import CLIENT_RISK, COUNSELOR_FLAGS, SKILLS


def _item(count: float, minimum: float) -> dict[str, Any]:
    return {"count": count, "min": minimum, "met": count >= minimum}


def check_requirements(by_kind: dict[str, Any], req: dict[str, float]) -> dict[str, Any]:
    """Per requirement: count, minimum, met; plus ``all_met``."""
    client = by_kind.get("client", {}).get("labels", {})
    counselor = by_kind.get("counselor", {}).get("labels", {})
    sessions = by_kind.get("sessions", {}).get("labels", {})
    out: dict[str, Any] = {}
    per_risk = req.get("client_per_risk_label", 0)
    for label in CLIENT_RISK:
        out[f"client_{label}"] = _item(client.get("risk", {}).get(label, 0), per_risk)
    no_label = client.get("no_label", 0)
    out["client_no_label"] = _item(no_label, req.get("client_no_label", 0))
    share = client.get("no_label_hard_negative", 0) / no_label if no_label else 0.0
    out["client_no_label_hard_negative_share"] = _item(
        round(share, 4), req.get("client_no_label_hard_negative_share", 0)
    )
    for label in COUNSELOR_FLAGS:
        out[f"counselor_{label}"] = _item(
            counselor.get("flags", {}).get(label, 0), req.get("counselor_per_flag", 0)
        )
    for skill in SKILLS:
        out[f"counselor_{skill}"] = _item(
            counselor.get("skill", {}).get(skill, 0), req.get("counselor_per_skill", 0)
        )
    out["sessions"] = _item(sessions.get("sessions", 0), req.get("sessions", 0))
    return {"all_met": all(v["met"] for v in out.values()), "items": out}
